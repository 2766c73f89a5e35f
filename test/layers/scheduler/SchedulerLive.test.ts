import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Exit, Fiber, Ref, Scope, TestClock } from "effect"
import { SessionId } from "../../../src/domain/ids.js"
import { makeScheduler } from "../../../src/layers/scheduler/SchedulerLive.js"
import type { FailurePolicy } from "../../../src/services/Scheduler.js"

const scheduler = makeScheduler({ maxConcurrentSessions: 2, maxWaitingStarts: 2 })

/** Registers a task that fails on the listed run numbers (1-based) and records the second each run started. */
const flakyTask = (policy: FailurePolicy, failOn: (run: number) => boolean) =>
  Effect.gen(function* () {
    const s = yield* scheduler
    const starts = yield* Ref.make<ReadonlyArray<number>>([])
    yield* s.register({
      name: "sync",
      every: "60 seconds",
      policy,
      run: Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const list = yield* Ref.updateAndGet(starts, (l) => [...l, now / 1000])
        if (failOn(list.length)) return yield* Effect.fail(new Error(`run ${list.length} failed`))
      })
    })
    return { s, starts }
  })

describe("Scheduler timed tasks", () => {
  it.scoped("runs a healthy task at its interval", () =>
    Effect.gen(function* () {
      const { s, starts } = yield* flakyTask({ _tag: "DisableAfter", failures: 3 }, () => false)
      yield* TestClock.adjust("180 seconds")
      expect(yield* Ref.get(starts)).toEqual([60, 120, 180])
      expect((yield* s.diagnostics)[0]).toMatchObject({ name: "sync", status: "scheduled", runs: 3, failures: 0, nextRunAt: 240_000 })
    }))

  it.scoped("Retry: tries again after the retry delay, a bounded number of times, then waits the interval", () =>
    Effect.gen(function* () {
      const { starts } = yield* flakyTask({ _tag: "Retry", times: 2, delay: "5 seconds" }, () => true)
      yield* TestClock.adjust("140 seconds")
      // 60 fails → +5 → 65 fails → +5 → 70 fails (retries used up) → +60 → 130 → +5 → 135 → +5 → 140
      expect(yield* Ref.get(starts)).toEqual([60, 65, 70, 130, 135, 140])
    }))

  it.scoped("Backoff: doubles the wait per consecutive failure up to the cap, resets on success", () =>
    Effect.gen(function* () {
      const { s, starts } = yield* flakyTask({ _tag: "Backoff", initial: "10 seconds", cap: "30 seconds" }, (n) => n <= 4)
      yield* TestClock.adjust("300 seconds")
      // fails at 60 (+10), 70 (+20), 90 (+30 capped), 120 (+30), succeeds at 150, then every 60 s
      expect(yield* Ref.get(starts)).toEqual([60, 70, 90, 120, 150, 210, 270])
      expect((yield* s.diagnostics)[0]).toMatchObject({ failures: 4, consecutiveFailures: 0, lastError: "run 4 failed" })
    }))

  it.scoped("DisableAfter: stops after N consecutive failures until triggered by hand", () =>
    Effect.gen(function* () {
      const { s, starts } = yield* flakyTask({ _tag: "DisableAfter", failures: 2 }, (n) => n <= 2)
      yield* TestClock.adjust("600 seconds")
      expect(yield* Ref.get(starts)).toEqual([60, 120])
      expect((yield* s.diagnostics)[0]).toMatchObject({ status: "disabled", failures: 2, lastError: "run 2 failed", nextRunAt: null })
      yield* s.trigger("sync")
      yield* TestClock.adjust("60 seconds")
      expect(yield* Ref.get(starts)).toEqual([60, 120, 600, 660])
    }))

  it.scoped("a run that outlives its timeout counts as a failure", () =>
    Effect.gen(function* () {
      const s = yield* scheduler
      yield* s.register({
        name: "poll",
        every: "10 seconds",
        timeout: "3 seconds",
        policy: { _tag: "DisableAfter", failures: 1 },
        run: Effect.sleep("1 hour")
      })
      yield* TestClock.adjust("13 seconds")
      expect((yield* s.diagnostics)[0]).toMatchObject({ status: "disabled", lastError: "timed out after 3s" })
    }))

  it.scoped("a cancelled task does not run again", () =>
    Effect.gen(function* () {
      const { s, starts } = yield* flakyTask({ _tag: "DisableAfter", failures: 3 }, () => false)
      yield* TestClock.adjust("60 seconds")
      yield* s.cancel("sync")
      yield* TestClock.adjust("600 seconds")
      expect(yield* Ref.get(starts)).toEqual([60])
      expect(yield* s.diagnostics).toEqual([])
    }))

  it.scoped("trigger runs a waiting task now, and its interval counts from that run", () =>
    Effect.gen(function* () {
      const { s, starts } = yield* flakyTask({ _tag: "DisableAfter", failures: 3 }, () => false)
      yield* TestClock.adjust("20 seconds")
      yield* s.trigger("sync")
      yield* TestClock.adjust("60 seconds")
      expect(yield* Ref.get(starts)).toEqual([20, 80])
    }))

  it.scoped("registering a name again replaces the task: only the new one runs", () =>
    Effect.gen(function* () {
      const { s, starts } = yield* flakyTask({ _tag: "DisableAfter", failures: 3 }, () => false)
      const replaced = yield* Ref.make(0)
      yield* TestClock.adjust("30 seconds")
      yield* s.register({ name: "sync", every: "100 seconds", policy: { _tag: "DisableAfter", failures: 3 }, run: Ref.update(replaced, (n) => n + 1) })
      yield* TestClock.adjust("200 seconds")
      expect(yield* Ref.get(starts)).toEqual([])
      expect(yield* Ref.get(replaced)).toBe(2)
      expect(yield* s.diagnostics).toEqual([expect.objectContaining({ name: "sync", runs: 2, nextRunAt: 330_000 })])
    }))
})

describe("Scheduler session slots", () => {
  const id = (n: number) => SessionId.make(`s${n}`)

  it.scoped("holds at most the limit; later starts wait and get slots in arrival order", () =>
    Effect.gen(function* () {
      const s = yield* scheduler
      const scopes = yield* Effect.forEach([1, 2, 3, 4], () => Scope.make())
      const order = yield* Ref.make<ReadonlyArray<number>>([])
      const start = (n: number) =>
        Effect.fork(
          Effect.zipRight(s.acquireSessionSlot(id(n)), Ref.update(order, (l) => [...l, n])).pipe(Scope.extend(scopes[n - 1]!))
        )
      const fibers = yield* Effect.forEach([1, 2, 3, 4], start)
      yield* TestClock.adjust("1 millis")
      expect(yield* Ref.get(order)).toEqual([1, 2])
      expect(yield* s.slots).toEqual({ limit: 2, running: [id(1), id(2)], waiting: [id(3), id(4)] })
      yield* Scope.close(scopes[1]!, Exit.void)
      yield* TestClock.adjust("1 millis")
      expect(yield* Ref.get(order)).toEqual([1, 2, 3])
      yield* Scope.close(scopes[0]!, Exit.void)
      yield* Effect.forEach(fibers, Fiber.join)
      expect(yield* Ref.get(order)).toEqual([1, 2, 3, 4])
      expect((yield* s.slots).running).toEqual([id(3), id(4)])
    }))

  it.scoped("refuses a start when the waiting queue is full, and an abandoned wait leaves the queue", () =>
    Effect.gen(function* () {
      const s = yield* scheduler
      yield* s.acquireSessionSlot(id(1))
      yield* s.acquireSessionSlot(id(2))
      const w3 = yield* Effect.fork(Effect.scoped(s.acquireSessionSlot(id(3))))
      const w4 = yield* Effect.fork(Effect.scoped(s.acquireSessionSlot(id(4))))
      yield* TestClock.adjust("1 millis")
      const refused = yield* Effect.flip(Effect.scoped(s.acquireSessionSlot(id(5))))
      expect(refused.message).toContain("2 starts are already waiting")
      yield* Fiber.interrupt(w3)
      expect((yield* s.slots).waiting).toEqual([id(4)])
      yield* Fiber.interrupt(w4)
      expect(yield* s.slots).toEqual({ limit: 2, running: [id(1), id(2)], waiting: [] })
    }))
})
