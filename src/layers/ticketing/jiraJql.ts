import type { TicketQuery } from "../../services/Ticketing.js"

/** A JQL string literal: backslashes and double quotes escaped. */
export const jqlString = (text: string): string => `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`

/** `text ~` runs Lucene: its operators are dropped from a plain search. */
const luceneFree = (text: string) => text.replace(/[+\-&|!(){}[\]^~*?\\:"/]/g, " ").trim()

/** `yyyy/MM/dd HH:mm` in `timeZone`, rounded down to the minute: how JQL reads an absolute date. */
export const jqlTime = (date: Date, timeZone: string): string => {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit"
  }).formatToParts(date)
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "00"
  return `${part("year")}/${part("month")}/${part("day")} ${part("hour")}:${part("minute")}`
}

/**
 * The JQL of a listing, newest change first. Jira refuses an unbounded search on this endpoint,
 * so with no other clause it is bounded by update time (a hundred years).
 */
export const listingJql = (query: TicketQuery, projectKey: string, timeZone: string): string => {
  const search = query.search === null ? "" : luceneFree(query.search)
  const clauses = [
    ...(projectKey === "" ? [] : [`project = ${jqlString(projectKey)}`]),
    ...(query.assignedToMe ? ["assignee = currentUser()"] : []),
    ...(query.states.length === 0 ? [] : [`status in (${query.states.map(jqlString).join(", ")})`]),
    ...(search === "" ? [] : [`text ~ ${jqlString(search)}`]),
    ...(query.updatedSince === undefined ? [] : [`updated >= ${jqlString(jqlTime(query.updatedSince, timeZone))}`])
  ]
  return `${(clauses.length === 0 ? ["updated >= -36500d"] : clauses).join(" AND ")} ORDER BY updated DESC`
}
