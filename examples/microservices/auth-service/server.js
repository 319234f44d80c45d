// auth-service: in a real shop it signs and checks tokens with JWT_SECRET; here it reports its health and its config.
require("../lib/service.js").start("auth", __dirname);
