// payments-service: in a real shop it charges through Stripe; here it reports its health and its config.
require("../lib/service.js").start("payments", __dirname);
