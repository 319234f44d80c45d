// notifications-service: in a real shop it sends e-mail through SMTP; here it reports its health and its config.
require("../lib/service.js").start("notifications", __dirname);
