// The orders the projection reads return rows in, shared with the indexes of migration 6 and
// with the test that checks their query plans: a change here must keep an index that serves it.

/** Tickets in list order: by priority (1 urgent … 4 low), no priority (0) last, then most recently updated. */
export const ticketListOrder = "priority = 0, priority, updated_at DESC, id"

/** Open inbox items, most urgent first, then oldest first. */
export const openInboxStatement = "SELECT * FROM inbox_items WHERE resolved_at IS NULL ORDER BY urgency DESC, created_at"
