// The requests table's shape, shared by the Pulumi component and the sandbox so both build the
// same keys and indexes.
export const TABLE_KEY = "id";
export const STATUS_INDEX = "by-status";
export const REQUESTER_INDEX = "by-requester";
export const TTL_ATTRIBUTE = "ttl";

export const TABLE_ATTRIBUTES = [
  { name: "id", type: "S" },
  { name: "status", type: "S" },
  { name: "requester", type: "S" },
  { name: "createdAt", type: "S" },
] as const;

export const TABLE_INDEXES = [
  { name: STATUS_INDEX, hashKey: "status", rangeKey: "createdAt" },
  { name: REQUESTER_INDEX, hashKey: "requester", rangeKey: "createdAt" },
] as const;
