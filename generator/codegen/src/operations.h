// What the server and client emitters share about operations: grouping by tag, body media
// kinds, parameter specs (the tether::http::ParamSpec literal), response alternatives.
#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "tether/codegen/cpp_types.h"
#include "tether/emit/printer.h"
#include "tether/ir/model.h"

namespace tether::codegen {

struct TagGroup {
  std::string name;     // the spec's tag ("Projects"), or "default"
  std::string cppName;  // "Projects"
  std::string fileStem; // "projects"
  std::string description;
  std::vector<const ir::Operation*> operations;
};

// Operations grouped by their first tag, in the order of the spec's tags.
std::vector<TagGroup> groupByTag(const ir::Api& api);

enum class MediaKind { Json, Form, Multipart, Raw };
MediaKind mediaKind(const std::string& mediaType);

// "listPets" -> "ListPets".
std::string pascal(const std::string& camel);

// A C++ expression constructing the tether::http::ParamSpec of a parameter.
std::string paramSpecExpr(const ir::Parameter& p, const ir::Api& api);
// A C++ expression constructing the tether::http::Shape of an object body (form, multipart).
std::string bodyShapeExpr(ir::TypeId id, const ir::Api& api);

// "200" -> "Status200", "4XX" -> "Status4XX", "default" -> "Default".
std::string responseName(const std::string& status);
// The status a range or default alternative starts with: "4XX" -> 400, "default" -> 500.
int defaultStatus(const std::string& status);
bool fixedStatus(const std::string& status);

// Names for the bodies of one message: "body" when there is one media type, else
// "body_json", "body_form", ... (unique).
std::vector<std::string> bodyNames(const std::vector<ir::MediaType>& contents);

// The parameters generated code declares once, as named constants (params::<Name>): the
// spec's parameter components, and inline parameters that several operations repeat word
// for word (Kubernetes spells its `pretty`, `limit`, `watch` ... out in every operation).
class SharedParams {
 public:
  explicit SharedParams(const ir::Api& api);

  struct Entry {
    std::string cppName;         // "Pretty": params::Pretty
    std::string component;       // the component's name, or "" for a repeated inline one
    const ir::Parameter* param;  // its first use, whose spec and validator all uses share
  };
  // The declaration `p` uses, or nullptr when it is spelt out in its operation.
  const Entry* find(const ir::Parameter& p) const;
  const std::vector<Entry>& entries() const { return entries_; }
  // The text of the comment on an entry's declaration (for commentLines): the parameter's
  // description, and the component it comes from.
  static std::string comment(const Entry& entry);

 private:
  std::string key(const ir::Parameter& p) const;

  const ir::Api& api_;
  std::vector<Entry> entries_;
  std::vector<std::size_t> byComponent_;          // component index -> entry
  std::map<std::string, std::size_t> byKey_;      // inline parameter key -> entry
  // The operations' inline parameters -> entry, or kNotShared: their keys (a dump of an
  // inline schema each) computed once, not at every lookup.
  static constexpr std::size_t kNotShared = static_cast<std::size_t>(-1);
  std::unordered_map<const ir::Parameter*, std::size_t> byParameter_;
};

// validatedTypes(api) with the server's or client's own SharedParams, not one more.
std::set<ir::TypeId> validatedTypes(const ir::Api& api, const SharedParams& shared);

// The spec's tag names and operationIds, HTML-escaped where they are not in a string
// literal: the mustache templates the server and client emitters replaced did so ("Cast
// &amp; Crew"), and the output stays what it was.
std::string htmlEscaped(const std::string& text);

// `text` as // comment lines (commentLines) at the printer's indentation.
void printComment(emit::Printer& p, const std::string& text);

// A run of one tag group's operations, [begin, end), and the part (0-based) it goes to.
struct GroupSlice {
  std::size_t group;
  std::size_t begin, end;
  std::size_t part;
  std::size_t run = 0;   // from 1 in a group cut into runs; 0 for a group kept whole
  std::size_t runs = 1;  // how many runs its group has
};

// Where each tag group's operations go, in the groups' order. A group goes whole to the
// part with the fewest operations so far, unless it is larger than an even share of all
// operations and than kSliceAbove: then it is cut into runs of one share, each placed
// the same way. A spec without tags (Stripe: 468 operations in one group) would
// otherwise put everything into its first part, which needed 2.4 GB to compile.
std::vector<GroupSlice> sliceGroups(const std::vector<TagGroup>& groups, std::size_t parts);
// Smaller groups stay whole: a part of this many operations compiles well under 1 GB.
inline constexpr std::size_t kSliceAbove = 100;

// "operations 1 to 117 of 468": what a run of `group` holds.
std::string runRange(const GroupSlice& slice, const TagGroup& group);
// The comment of a tag's handler or client class: the tag's description, or "Operations of
// "name".".
std::string groupComment(const TagGroup& group);

// The comment and head of the class of a tag cut into `runs` runs, which derives from each
// run's class <type>Part1 ... <type>Part<runs>: "class <type> : public <type>Part1,\n ...
// public <type>Part<runs>", with no newline after the last base.
void printRunsClassHead(emit::Printer& p, const std::string& comment, const std::string& type, std::size_t runs);

}  // namespace tether::codegen
