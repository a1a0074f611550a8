// Drives @aws-sdk/client-ivschat against the endpoint in argv[2]; prints one JSON report.
import {
  IvschatClient, CreateRoomCommand, GetRoomCommand, DeleteRoomCommand, UpdateRoomCommand,
  CreateChatTokenCommand, SendEventCommand, TagResourceCommand, UntagResourceCommand,
  ListTagsForResourceCommand, CreateLoggingConfigurationCommand, DeleteLoggingConfigurationCommand,
  ListLoggingConfigurationsCommand, paginateListRooms,
} from "@aws-sdk/client-ivschat";

const client = new IvschatClient({
  region: "us-west-2",
  endpoint: process.argv[2],
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
});
const report = {};
const errorOf = async (promise) => {
  try { await promise; return null; } catch (e) {
    return { name: e.name, status: e.$metadata?.httpStatusCode, reason: e.reason ?? null,
             fieldList: e.fieldList ?? null, resourceType: e.resourceType ?? null,
             attempts: e.$metadata?.attempts };
  }
};

const names = ["pg", "pg", "pg", "other"];
const rooms = [];
for (const name of names) {
  rooms.push(await client.send(new CreateRoomCommand({ name, maximumMessageLength: 100, tags: { a: "1" } })));
}
report.created = rooms.map((r) => ({ arn: r.arn, id: r.id, createTime: r.createTime.toISOString() }));

const pages = [];
for await (const page of paginateListRooms({ client, pageSize: 1 }, { name: "pg" })) {
  pages.push(page.rooms.map((r) => r.id));
}
report.pages = pages;

const room = rooms[0];
report.got = (await client.send(new GetRoomCommand({ identifier: room.arn }))).maximumMessageLength;
report.updated = (await client.send(new UpdateRoomCommand({ identifier: room.arn, maximumMessageRatePerSecond: 50 }))).maximumMessageRatePerSecond;
const token = await client.send(new CreateChatTokenCommand({ roomIdentifier: room.arn, userId: "u1", capabilities: ["SEND_MESSAGE"] }));
report.token = { length: token.token.length, expiresIsDate: token.tokenExpirationTime instanceof Date };
report.eventId = (await client.send(new SendEventCommand({ roomIdentifier: room.arn, eventName: "e" }))).id;

const keys = ["k:2", "a~b", "a*b", "ä", "a+b", "a'b(c)!", "a b/c&d=e"];
await client.send(new TagResourceCommand({ resourceArn: room.arn, tags: Object.fromEntries(keys.map((k) => [k, "v"])) }));
await client.send(new UntagResourceCommand({ resourceArn: room.arn, tagKeys: keys }));
report.tags = (await client.send(new ListTagsForResourceCommand({ resourceArn: room.arn }))).tags;

const config = await client.send(new CreateLoggingConfigurationCommand({ destinationConfiguration: { s3: { bucketName: "chat-logs" } } }));
report.configState = config.state;
report.configs = (await client.send(new ListLoggingConfigurationsCommand({}))).loggingConfigurations.length;
await client.send(new DeleteLoggingConfigurationCommand({ identifier: config.arn }));

report.validation = await errorOf(client.send(new CreateRoomCommand({ maximumMessageLength: 501 })));
await client.send(new DeleteRoomCommand({ identifier: room.arn }));
report.notFound = await errorOf(client.send(new GetRoomCommand({ identifier: room.arn })));
console.log(JSON.stringify(report));
