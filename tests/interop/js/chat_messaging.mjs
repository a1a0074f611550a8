// Drives amazon-ivs-chat-messaging (the official browser chat client, on `ws` in Node)
// against ivschat-local: argv[2] is the HTTP endpoint, argv[3] the WebSocket URL.
import WebSocket from "ws";
import {
  ChatRoom, SendMessageRequest, DeleteMessageRequest, DisconnectUserRequest,
} from "amazon-ivs-chat-messaging";
import {
  IvschatClient, CreateRoomCommand, CreateChatTokenCommand, SendEventCommand,
} from "@aws-sdk/client-ivschat";

globalThis.WebSocket = WebSocket; // Node 20 has no global WebSocket
const [, , httpUrl, wsUrl] = process.argv;
const control = new IvschatClient({
  region: "us-west-2", endpoint: httpUrl,
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
});
const report = { events: [] };
const timeout = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error(`timeout: ${what}`)), ms));
const within = (promise, what) => Promise.race([promise, timeout(5000, what)]);
const once = (room, name) => new Promise((resolve) => {
  const remove = room.addListener(name, (value) => { remove(); resolve(value); });
});

const room = await control.send(new CreateRoomCommand({ name: "js-chat", maximumMessageLength: 50 }));
const tokenFor = (userId, capabilities) => async () => {
  const t = await control.send(new CreateChatTokenCommand({
    roomIdentifier: room.arn, userId, capabilities, attributes: { displayName: userId.toUpperCase() },
  }));
  return { token: t.token, sessionExpirationTime: t.sessionExpirationTime, tokenExpirationTime: t.tokenExpirationTime };
};
const alice = new ChatRoom({ regionOrUrl: wsUrl, tokenProvider: tokenFor("alice", ["SEND_MESSAGE", "DELETE_MESSAGE", "DISCONNECT_USER"]) });
const bob = new ChatRoom({ regionOrUrl: wsUrl, tokenProvider: tokenFor("bob", []) });
for (const r of [alice, bob]) r.logLevel = "error";

const connected = Promise.all([once(alice, "connect"), once(bob, "connect")]);
alice.connect();
bob.connect();
await within(connected, "connect");
report.states = [alice.state, bob.state];

const bobGetsMessage = once(bob, "message");
const sent = await within(alice.sendMessage(new SendMessageRequest("hello world", { color: "red" })), "sendMessage");
const received = await within(bobGetsMessage, "bob message");
report.sent = { id: sent.id, content: sent.content, attributes: sent.attributes, sender: sent.sender };
report.received = { id: received.id, content: received.content, sendTimeIsDate: received.sendTime instanceof Date };

try {
  await within(bob.sendMessage(new SendMessageRequest("no capability")), "bob send");
  report.forbidden = null;
} catch (e) { report.forbidden = { errorCode: e.errorCode, requestIdMatches: typeof e.requestId === "string" }; }
try {
  await within(alice.sendMessage(new SendMessageRequest("x".repeat(51))), "too long");
  report.tooLong = null;
} catch (e) { report.tooLong = e.errorCode; }

const bobGetsEvent = once(bob, "event");
await control.send(new SendEventCommand({ roomIdentifier: room.arn, eventName: "app:poll", attributes: { q: "1" } }));
const event = await within(bobGetsEvent, "event");
report.event = { eventName: event.eventName, attributes: event.attributes };

const bobGetsDelete = once(bob, "messageDelete");
const deleted = await within(alice.deleteMessage(new DeleteMessageRequest(sent.id, "spam")), "deleteMessage");
const bobDeleted = await within(bobGetsDelete, "bob messageDelete");
report.deleted = { messageId: deleted.messageId, reason: deleted.reason, bobSaw: bobDeleted.messageId };

const bobGetsKicked = once(bob, "userDisconnect");
const bobDisconnected = once(bob, "disconnect");
const kicked = await within(alice.disconnectUser(new DisconnectUserRequest("bob", "rude")), "disconnectUser");
report.kicked = { userId: kicked.userId, reason: kicked.reason, bobSaw: (await within(bobGetsKicked, "bob kicked")).userId };
report.bobDisconnectReason = await within(bobDisconnected, "bob disconnect");

const aliceDisconnected = once(alice, "disconnect");
alice.disconnect();
report.aliceDisconnectReason = await within(aliceDisconnected, "alice disconnect");
console.log(JSON.stringify(report));
process.exit(0);
