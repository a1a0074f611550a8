// The browser side of the backend: AWS's chat client, amazon-ivs-chat-messaging, connecting
// with a token from POST /chat-token. Its tokenProvider must return the two times as Dates,
// so it reads the ISO strings of the JSON answer with new Date(...).
//
// Run in Node (on the `ws` package) by tests/test_fastapi_example.py: argv[2] is the chat
// WebSocket URL; the JSON answer of POST /chat-token comes on stdin (not argv: a token is a
// secret). Prints a JSON report.
import WebSocket from "ws";
import { ChatRoom, SendMessageRequest } from "amazon-ivs-chat-messaging";

globalThis.WebSocket = WebSocket; // a browser has one; Node 20 does not

const wsUrl = process.argv[2];
let answer = "";
for await (const chunk of process.stdin) answer += chunk;

// In a browser app:
//   const response = await fetch("/chat-token", { method: "POST", credentials: "include" });
//   const body = await response.json();
async function tokenProvider() {
  const body = JSON.parse(answer);
  return {
    token: body.token,
    sessionExpirationTime: new Date(body.sessionExpirationTime),
    tokenExpirationTime: new Date(body.tokenExpirationTime),
  };
}

const within = (promise, what) => Promise.race([
  promise,
  new Promise((_, reject) => setTimeout(() => reject(new Error(`timeout: ${what}`)), 5000)),
]);
const once = (room, name) => new Promise((resolve) => {
  const remove = room.addListener(name, (value) => { remove(); resolve(value); });
});

const room = new ChatRoom({ regionOrUrl: wsUrl, tokenProvider });
room.logLevel = "error";
const connected = once(room, "connect");
room.connect();
await within(connected, "connect");
const report = { state: room.state };
const sent = await within(room.sendMessage(new SendMessageRequest("hello from js")), "sendMessage");
report.sent = { content: sent.content, sender: sent.sender };
const disconnected = once(room, "disconnect");
room.disconnect();
report.disconnectReason = await within(disconnected, "disconnect");
console.log(JSON.stringify(report));
process.exit(0);
