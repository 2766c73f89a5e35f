import { Layer, Schema } from "effect"
import { DatabaseSettings } from "../../domain/config.js"
import { makeSqlite } from "./sqlite.js"
import { EventStoreLive } from "./SqliteEventStore.js"

const defaults = Schema.decodeUnknownSync(DatabaseSettings)({})

/** A fresh in-memory SQLite store per use: real SQLite, nothing on disk. */
export const EventStoreTest = EventStoreLive.pipe(Layer.provide(makeSqlite(":memory:", { ...defaults, wal_enabled: false })))

/** A store on a file, for tests that reopen it or measure it. */
export const eventStoreOnFile = (filename: string) => EventStoreLive.pipe(Layer.provide(makeSqlite(filename, defaults)))
