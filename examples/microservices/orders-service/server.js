// orders-service: in a real shop it takes orders, asking auth and payments; here it reports its health and its config.
require("../lib/service.js").start("orders", __dirname);
