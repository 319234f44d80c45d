// The demo's four services share this server. Each reads the .env that `axogen generate`
// wrote next to it and answers two requests:
//   GET /health  {"service": "auth", "status": "ok"}
//   GET /config  the values it was given, secrets left out (named only), URLs without passwords
// Plain Node (18 or newer), no dependencies: `node auth-service/server.js` runs one.
"use strict";

const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");

const ESCAPES = { n: "\n", r: "\r", t: "\t", '"': '"', "'": "'", "\\": "\\", $: "$" };

// KEY=bare, KEY='literal', KEY="with \" and \\ escapes" (quoted values may span lines)
function parseEnv(text) {
  const values = {};
  const line = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*/gm;
  let match;
  while ((match = line.exec(text)) !== null) {
    let rest = text.slice(line.lastIndex);
    let value;
    if (rest[0] === "'") {
      const end = rest.indexOf("'", 1);
      value = rest.slice(1, end);
      line.lastIndex += end + 1;
    } else if (rest[0] === '"') {
      let i = 1;
      value = "";
      while (i < rest.length && rest[i] !== '"') {
        if (rest[i] === "\\" && rest[i + 1] in ESCAPES) {
          value += ESCAPES[rest[i + 1]];
          i += 2;
        } else {
          value += rest[i];
          i += 1;
        }
      }
      line.lastIndex += i + 1;
    } else {
      value = rest.split("\n", 1)[0].replace(/[ \t]+#.*$/, "").trim();
      line.lastIndex += value.length;
    }
    values[match[1]] = value;
  }
  return values;
}

const SECRET = /SECRET|PASSWORD|TOKEN|(^|_)KEY($|_)/;

function publicConfig(env) {
  const shown = {};
  const secrets = [];
  for (const [key, value] of Object.entries(env)) {
    if (SECRET.test(key)) secrets.push(key);
    else shown[key] = value.replace(/\/\/([^:/@]*):[^@/]*@/, "//$1:***@");
  }
  return { config: shown, secrets };
}

function start(name, dir) {
  const file = path.join(dir, ".env");
  let text;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    console.error(`${name}: cannot read ${file} (${error.code}): run \`axogen generate\` first`);
    process.exit(1);
  }
  const fromFile = parseEnv(text);
  const env = {};
  for (const key of Object.keys(fromFile)) env[key] = process.env[key] ?? fromFile[key];
  const port = Number(env.PORT);
  if (!Number.isInteger(port) || port <= 0) {
    console.error(`${name}: ${file} sets no PORT`);
    process.exit(1);
  }

  const server = http.createServer((request, response) => {
    const url = request.url.split("?", 1)[0];
    let status = 200;
    let body;
    if (request.method === "GET" && url === "/health") {
      body = { service: name, status: "ok" };
    } else if (request.method === "GET" && url === "/config") {
      body = { service: name, ...publicConfig(env) };
    } else {
      status = 404;
      body = { service: name, error: `no route ${request.method} ${url}` };
    }
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body) + "\n");
    if (env.LOG_LEVEL === "debug" || url !== "/health") {
      console.log(`${request.method} ${url} ${status}`);
    }
  });
  server.listen(port, () => {
    console.log(`${name} listening on port ${port} (NODE_ENV=${env.NODE_ENV})`);
  });
  // stop cleanly on SIGTERM (docker stop, axogen forwarding Ctrl-C) and SIGINT
  for (const signal of ["SIGTERM", "SIGINT"]) {
    process.on(signal, () => {
      console.log(`${name} stopping (${signal})`);
      server.close(() => process.exit(0));
      server.closeAllConnections?.();
    });
  }
}

module.exports = { start, parseEnv };
