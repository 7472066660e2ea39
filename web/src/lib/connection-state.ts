/** Where the dashboard's socket stands: before the first attempt opens, up, or waiting to retry. */
export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";
