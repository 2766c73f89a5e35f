import { Schema } from "effect"
import { TicketPriority, TicketStateType } from "../../domain/ticket.js"

/** Linear GraphQL documents and the shapes of their answers (PROTOCOLS.md, Linear). */

const ISSUE_FIELDS = `fragment IssueFields on Issue {
  id identifier title description url priority updatedAt branchName
  state { id name type }
  team { id key name }
  project { id name }
  labels { nodes { name } }
  assignee { id name }
}`

export const ISSUES_QUERY = `query Issues($first: Int!, $after: String, $filter: IssueFilter) {
  issues(first: $first, after: $after, orderBy: updatedAt, filter: $filter) {
    nodes { ...IssueFields }
    pageInfo { hasNextPage endCursor }
  }
}
${ISSUE_FIELDS}`

export const ISSUE_QUERY = `query Issue($id: String!) {
  issue(id: $id) { ...IssueFields }
}
${ISSUE_FIELDS}`

export const WORKFLOW_STATES_QUERY = `query WorkflowStates($teamId: ID!) {
  workflowStates(filter: { team: { id: { eq: $teamId } } }) { nodes { id name type } }
}`

export const TEAMS_QUERY = `query Teams {
  teams { nodes { id key name } }
}`

export const VIEWER_QUERY = `query Viewer {
  viewer { id name }
}`

export const ISSUE_UPDATE_MUTATION = `mutation IssueUpdate($id: String!, $input: IssueUpdateInput!) {
  issueUpdate(id: $id, input: $input) { success issue { ...IssueFields } }
}
${ISSUE_FIELDS}`

export const ISSUE_CREATE_MUTATION = `mutation IssueCreate($input: IssueCreateInput!) {
  issueCreate(input: $input) { success issue { ...IssueFields } }
}
${ISSUE_FIELDS}`

export const COMMENT_CREATE_MUTATION = `mutation CommentCreate($input: CommentCreateInput!) {
  commentCreate(input: $input) { success }
}`

export const ATTACH_LINK_MUTATION = `mutation AttachmentLinkURL($issueId: String!, $url: String!, $title: String) {
  attachmentLinkURL(issueId: $issueId, url: $url, title: $title) { success }
}`

export const LinearWorkflowState = Schema.Struct({ id: Schema.String, name: Schema.String, type: TicketStateType })
export type LinearWorkflowState = typeof LinearWorkflowState.Type

export const LinearTeam = Schema.Struct({ id: Schema.String, key: Schema.String, name: Schema.String })

export const IssueNode = Schema.Struct({
  id: Schema.String.pipe(Schema.minLength(1)),
  identifier: Schema.String,
  title: Schema.String,
  description: Schema.NullOr(Schema.String),
  url: Schema.String,
  priority: TicketPriority,
  updatedAt: Schema.DateTimeUtc,
  state: LinearWorkflowState,
  team: LinearTeam,
  project: Schema.NullOr(Schema.Struct({ id: Schema.String, name: Schema.String })),
  labels: Schema.Struct({ nodes: Schema.Array(Schema.Struct({ name: Schema.String })) }),
  assignee: Schema.optionalWith(Schema.NullOr(Schema.Struct({ id: Schema.String, name: Schema.String })), {
    default: () => null
  })
})
export type IssueNode = typeof IssueNode.Type

const data = <F extends Schema.Struct.Fields>(fields: F) => Schema.Struct({ data: Schema.Struct(fields) })

export const IssuesAnswer = data({
  issues: Schema.Struct({
    nodes: Schema.Array(IssueNode),
    pageInfo: Schema.Struct({ hasNextPage: Schema.Boolean, endCursor: Schema.NullOr(Schema.String) })
  })
})

export const IssueAnswer = data({ issue: Schema.NullOr(IssueNode) })
export const WorkflowStatesAnswer = data({ workflowStates: Schema.Struct({ nodes: Schema.Array(LinearWorkflowState) }) })
export const TeamsAnswer = data({ teams: Schema.Struct({ nodes: Schema.Array(LinearTeam) }) })
export const ViewerAnswer = data({ viewer: Schema.Struct({ id: Schema.String, name: Schema.String }) })
export const IssueUpdateAnswer = data({
  issueUpdate: Schema.Struct({ success: Schema.Boolean, issue: Schema.NullOr(IssueNode) })
})
export const IssueCreateAnswer = data({
  issueCreate: Schema.Struct({ success: Schema.Boolean, issue: Schema.NullOr(IssueNode) })
})
export const CommentCreateAnswer = data({ commentCreate: Schema.Struct({ success: Schema.Boolean }) })
export const AttachLinkAnswer = data({ attachmentLinkURL: Schema.Struct({ success: Schema.Boolean }) })

/** `{"errors":[{message, extensions:{code|type}}]}`, with or without data. */
export const GraphqlErrors = Schema.Struct({
  errors: Schema.Array(
    Schema.Struct({
      message: Schema.String,
      extensions: Schema.optional(
        Schema.Struct({ code: Schema.optional(Schema.String), type: Schema.optional(Schema.String) })
      )
    })
  )
})
export type GraphqlErrors = typeof GraphqlErrors.Type
