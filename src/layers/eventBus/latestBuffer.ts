import { Effect } from "effect"
import { type BusDelivery, type BusEnvelope, canCoalesce, mergeDeltaTexts } from "../../domain/bus.js"

/** Coalesced deltas stop growing here so one chatty item cannot hold unbounded text. */
const MAX_COALESCED_CHARS = 16_384

/** A buffered envelope; texts of deltas merged into it are kept aside and joined once, when taken. */
interface Slot {
  readonly envelope: BusEnvelope
  more: Array<string> | undefined
  chars: number
}

/**
 * The `latest` subscriber's buffer: bounded ring; a delta merges into an unread delta of the same
 * item; when full the oldest entry is dropped and counted, and the next take starts with a
 * "Skipped" marker. Mutated synchronously only, so no fiber can observe it half-updated.
 */
export class LatestBuffer {
  private readonly ring: Array<Slot | undefined>
  private head = 0
  private size = 0
  private skipped = 0
  private readonly ready = Effect.unsafeMakeLatch(false)
  received = 0
  coalesced = 0
  dropped = 0
  delivered = 0
  maxDepth = 0

  constructor(readonly capacity: number) {
    this.ring = new Array<Slot | undefined>(capacity)
  }

  get depth(): number {
    return this.size
  }

  offer(item: BusEnvelope): void {
    this.received++
    if (this.size > 0) {
      const last = (this.head + this.size - 1) % this.capacity
      const tail = this.ring[last]
      const text = tail === undefined ? undefined : canCoalesce(tail.envelope.event, item.event)
      if (tail !== undefined && text !== undefined && tail.chars + text.length <= MAX_COALESCED_CHARS) {
        if (tail.more === undefined) tail.more = [text]
        else tail.more.push(text)
        tail.chars += text.length
        this.coalesced++
        return
      }
    }
    if (this.size === this.capacity) {
      this.ring[this.head] = undefined
      this.head = (this.head + 1) % this.capacity
      this.size--
      this.dropped++
      this.skipped++
    }
    const chars = item.event._tag === "SessionEvent" && "text" in item.event.event ? item.event.event.text.length : 0
    this.ring[(this.head + this.size) % this.capacity] = { envelope: item, more: undefined, chars }
    this.size++
    if (this.size > this.maxDepth) this.maxDepth = this.size
    this.ready.unsafeOpen()
  }

  /** Waits until something is buffered, then returns up to `max` items (a marker first if any were dropped). */
  take(max: number): Effect.Effect<ReadonlyArray<BusDelivery>> {
    return Effect.zipRight(this.ready.await, Effect.sync(() => this.drain(max)))
  }

  takeNow(max: number): Effect.Effect<ReadonlyArray<BusDelivery>> {
    return Effect.sync(() => this.drain(max))
  }

  private drain(max: number): ReadonlyArray<BusDelivery> {
    const out: Array<BusDelivery> = []
    if (this.skipped > 0) {
      out.push({ _tag: "Skipped", count: this.skipped })
      this.skipped = 0
    }
    while (this.size > 0 && out.length < max) {
      const slot = this.ring[this.head]
      this.ring[this.head] = undefined
      this.head = (this.head + 1) % this.capacity
      this.size--
      if (slot !== undefined) {
        const envelope = slot.more === undefined ? slot.envelope : { ...slot.envelope, event: mergeDeltaTexts(slot.envelope.event, slot.more) }
        out.push({ _tag: "Event", envelope })
        this.delivered++
      }
    }
    if (this.size === 0) this.ready.unsafeClose()
    return out
  }
}
