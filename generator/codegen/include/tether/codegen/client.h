// The client emitter: per tag, a class with one method per operation taking a typed
// <Op>Params struct (path, query, header and cookie parameters, and the body per media
// type) and returning the typed success body; <op>WithResponse adds status and headers,
// <op>All walks cursor-paginated lists, <op>Stream reads text/event-stream responses.
// Errors throw tether::client::ApiError. A `Client` umbrella holds one client per tag
// sharing one tether::client::Transport. Files: client.h, client_1..N.cpp
// (N = CodegenOptions::parts), in namespace <ns>::client.
//
// Pagination is detected, not declared: an operation gets <op>All when
//   - it has a query parameter typed string named cursor, page_token, pageToken,
//     starting_after, after, next_token, nextToken, continuation_token, continuationToken,
//     page_cursor or marker;
//   - its success body (first 2xx JSON response) is an object with an array member named
//     data, items, results, entries, records, values or elements;
//   - and the next cursor is found: a string member named next_cursor, nextCursor,
//     next_page_token, nextPageToken, next_token, nextToken, next or cursor, on the body or
//     on one of its object members (e.g. meta.next_cursor); a boolean has_more/hasMore
//     beside it, when present, ends the walk when false. Without such a member, a cursor
//     parameter named starting_after/after with a boolean has_more/hasMore on the body
//     and items with a string `id` gives Stripe-style paging (the last item's id).
#pragma once

#include "tether/codegen/cpp_types.h"
#include "tether/codegen/output.h"
#include "tether/ir/model.h"

namespace tether::codegen {

GeneratedFiles emitClient(const ir::Api& api, const CodegenOptions& options);
// The same, from the C++ view of the IR that the other emitters share (`types.api()`):
// `generate` builds it once for all of them.
GeneratedFiles emitClient(const CppTypes& types, const CodegenOptions& options);

}  // namespace tether::codegen
