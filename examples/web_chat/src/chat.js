// The chat page: AWS's amazon-ivs-chat-messaging client in a browser, with its tokens from
// the backend (POST /chat-token) and its chat URL from GET /chat-config. It shows messages
// and events, marks a message a moderator deleted, and says so when it is disconnected.
// Built into static/dist/chat.js by `npm run build` (esbuild).
import { ChatRoom, SendMessageRequest } from "amazon-ivs-chat-messaging";

const $ = (id) => document.getElementById(id);
const statusLine = $("status");
const log = $("log");
const joinForm = $("join");
const userSelect = $("user");
const sendForm = $("send");
const textInput = $("text");
const errorLine = $("error");

const DISCONNECTED = {
  clientDisconnect: "Left the room",
  serverDisconnect: "Disconnected by the server",
  socketError: "Cannot reach the chat server",
  fetchTokenError: "Cannot get a chat token",
};

let regionOrUrl = null; // from GET /chat-config
let room = null;
let me = null; // the demo user this page joined as (its IVS Chat user id)
let kicked = null; // { reason } once a moderator disconnected this user
const names = new Map(); // user id -> display name, from the messages seen

// The backend's answer has ISO-8601 times; the chat client wants Dates.
// "X-Demo-User" is the backend's stand-in for real authentication (a session cookie).
const tokenProvider = (user) => async () => {
  const response = await fetch("/chat-token", { method: "POST", headers: { "X-Demo-User": user } });
  if (!response.ok) throw new Error(`POST /chat-token answered ${response.status}`);
  const body = await response.json();
  return {
    token: body.token,
    sessionExpirationTime: new Date(body.sessionExpirationTime),
    tokenExpirationTime: new Date(body.tokenExpirationTime),
  };
};

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text; // text, never HTML
  return node;
}

function append(item) {
  log.append(item);
  item.scrollIntoView({ block: "nearest" });
}

const messageItem = (id) => [...log.querySelectorAll("li.message")].find((li) => li.dataset.messageId === id);
const timeOf = (date) => date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });

function setStatus(state, text, dropped = false) {
  statusLine.dataset.state = state;
  statusLine.textContent = text;
  statusLine.classList.toggle("dropped", dropped);
}

function setJoined(joined) {
  for (const control of joinForm.elements) control.disabled = joined;
  for (const control of sendForm.elements) control.disabled = !joined;
  if (joined) textInput.focus();
}

function showError(text) {
  errorLine.textContent = text;
  errorLine.hidden = !text;
}

function showEvent(text, kind = "") {
  append(element("li", `event ${kind}`.trim(), text));
}

function showMessage(message) {
  if (messageItem(message.id)) return;
  const { userId, attributes = {} } = message.sender;
  const name = attributes.displayName ?? userId;
  names.set(userId, name);
  const item = element("li", userId === me ? "message mine" : "message");
  item.dataset.messageId = message.id;
  item.dataset.sender = userId;
  item.append(element("time", "time", timeOf(message.sendTime)), element("span", "sender", name));
  if (attributes.role) item.append(element("span", "role", attributes.role));
  item.append(element("span", "content", message.content));
  append(item);
}

function markDeleted(event) {
  const item = messageItem(event.messageId);
  if (!item) return; // sent before this page joined
  item.classList.add("deleted");
  const why = event.reason ? ` (${event.reason})` : "";
  item.querySelector(".content").textContent = `Message deleted by a moderator${why}`;
}

function join(user) {
  me = user;
  kicked = null;
  showError("");
  room = new ChatRoom({ regionOrUrl, tokenProvider: tokenProvider(user) });
  room.logLevel = "error";
  room.addListener("connecting", () => setStatus("connecting", "Connecting…"));
  room.addListener("connect", () => {
    setStatus("connected", `Connected as ${userSelect.selectedOptions[0].textContent}`);
    setJoined(true);
  });
  room.addListener("disconnect", (reason) => {
    const text = kicked
      ? `Disconnected by a moderator${kicked.reason ? `: ${kicked.reason}` : ""}`
      : (DISCONNECTED[reason] ?? `Disconnected (${reason})`);
    setStatus("disconnected", text, reason !== "clientDisconnect");
    setJoined(false);
    room = null;
  });
  room.addListener("message", showMessage);
  room.addListener("messageDelete", markDeleted);
  room.addListener("userDisconnect", (event) => {
    if (event.userId === me) kicked = { reason: event.reason };
    const who = event.userId === me ? "You were" : `${names.get(event.userId) ?? event.userId} was`;
    showEvent(`${who} disconnected by a moderator${event.reason ? `: ${event.reason}` : ""}`, "moderation");
  });
  room.addListener("event", (event) => {
    const attributes = Object.entries(event.attributes ?? {}).map(([k, v]) => `${k}: ${v}`);
    showEvent(`${event.eventName}${attributes.length ? ` · ${attributes.join(", ")}` : ""}`);
  });
  room.connect();
}

joinForm.addEventListener("submit", (e) => {
  e.preventDefault();
  if (room === null && regionOrUrl !== null) join(userSelect.value);
});

sendForm.addEventListener("submit", async (e) => {
  e.preventDefault();
  const content = textInput.value.trim();
  if (!content || room === null) return;
  showError("");
  try {
    await room.sendMessage(new SendMessageRequest(content));
    textInput.value = "";
  } catch (error) {
    // A ChatError from IVS Chat (e.g. a viewer's token cannot send), or a closed room.
    showError(`Not sent: ${error.errorMessage ?? error.message ?? error}`);
  }
});

window.addEventListener("pagehide", () => room?.disconnect());

try {
  const response = await fetch("/chat-config");
  if (!response.ok) throw new Error(`GET /chat-config answered ${response.status}`);
  ({ regionOrUrl } = await response.json());
  joinForm.querySelector("button").disabled = false;
  const user = new URLSearchParams(location.search).get("user"); // ?user=bob joins at once
  if (user && [...userSelect.options].some((option) => option.value === user)) {
    userSelect.value = user;
    join(user);
  }
} catch (error) {
  showError(`Cannot start: ${error.message}`);
}
