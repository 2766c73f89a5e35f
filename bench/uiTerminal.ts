import { EventEmitter } from "node:events"
import { Writable } from "node:stream"

/**
 * A stand-in terminal for the bench: Ink writes frames to `Screen` (which remembers the newest)
 * and reads keys from `Keyboard`. Both say they are TTYs, as Ink needs for raw input.
 */
export class Screen extends Writable {
  readonly isTTY = true
  readonly columns = 140
  readonly rows = 40
  bytes = 0
  private waiters: Array<{ readonly check: (frame: string) => boolean; readonly resolve: () => void }> = []

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const frame = chunk.toString()
    this.bytes += frame.length
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.check(frame)) return true
      waiter.resolve()
      return false
    })
    done()
  }

  /** Resolves at the first frame written from now on that satisfies `check`. */
  nextFrame(check: (frame: string) => boolean): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ check, resolve }))
  }
}

export class Keyboard extends EventEmitter {
  readonly isTTY = true
  private pending: Array<string> = []
  setRawMode(): this {
    return this
  }
  setEncoding(): this {
    return this
  }
  resume(): this {
    return this
  }
  pause(): this {
    return this
  }
  ref(): this {
    return this
  }
  unref(): this {
    return this
  }
  read(): string | null {
    return this.pending.shift() ?? null
  }
  press(key: string): void {
    this.pending.push(key)
    this.emit("readable")
  }
}
