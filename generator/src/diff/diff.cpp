#include "tether/diff/diff.h"

#include <algorithm>
#include <map>
#include <set>

namespace tether::diff {

namespace {

using ir::Api;
using ir::Type;
using ir::TypeId;
using ir::TypeKind;

enum class Direction { Request, Response };

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string describeKind(const Type& type) {
  if (type.kind == TypeKind::Enum) return std::string("enum of ") + ir::toString(type.enumBase);
  return ir::toString(type.kind);
}

// Whether every value of kind `from` is also a value of kind `to`.
bool kindAccepts(TypeKind to, TypeKind from) {
  if (to == from || to == TypeKind::Any) return true;
  if (to == TypeKind::Number && from == TypeKind::Integer) return true;
  if (to == TypeKind::Object && from == TypeKind::Map) return false;
  if ((to == TypeKind::OneOf || to == TypeKind::AnyOf) && (from == TypeKind::OneOf || from == TypeKind::AnyOf)) return true;
  return false;
}

class Comparer {
 public:
  Comparer(const Api& before, const Api& after) : before_(before), after_(after) {}

  std::vector<Change> run() {
    std::map<std::string, const ir::Operation*> old;
    for (const ir::Operation& op : before_.operations) old[key(op)] = &op;
    std::set<std::string> paths;
    for (const ir::Operation& op : after_.operations) paths.insert(op.path);
    for (const ir::Operation& op : before_.operations) {
      const ir::Operation* now = find(after_, op);
      if (now == nullptr) {
        bool pathGone = paths.count(op.path) == 0;
        add(true, pathGone ? "path-removed" : "operation-removed", op,
            pathGone ? "the path " + op.path + " was removed" : "the operation was removed", op.origin);
        continue;
      }
      compareOperation(op, *now);
    }
    for (const ir::Operation& op : after_.operations) {
      if (old.count(key(op)) == 0) add(false, "operation-added", op, "new operation", op.origin);
    }
    return std::move(changes_);
  }

 private:
  static std::string key(const ir::Operation& op) { return op.method + " " + op.path; }

  static const ir::Operation* find(const Api& api, const ir::Operation& op) {
    for (const ir::Operation& candidate : api.operations) {
      if (candidate.method == op.method && candidate.path == op.path) return &candidate;
    }
    return nullptr;
  }

  void add(bool breaking, std::string code, const ir::Operation& op, std::string message, ir::Origin origin) {
    changes_.push_back(Change{breaking, std::move(code), upper(op.method) + " " + op.path, std::move(message), std::move(origin)});
  }

  void compareOperation(const ir::Operation& before, const ir::Operation& after) {
    current_ = &after;
    // Parameters, matched by location and name.
    for (const ir::Parameter& p : before.parameters) {
      auto it = std::find_if(after.parameters.begin(), after.parameters.end(), [&](const ir::Parameter& q) {
        return q.name == p.name && q.in == p.in;
      });
      std::string label = std::string(ir::toString(p.in)) + " parameter '" + p.name + "'";
      if (it == after.parameters.end()) {
        add(true, "parameter-removed", after, label + " was removed", after.origin);
        continue;
      }
      if (!p.required && it->required) add(true, "parameter-required", after, label + " became required", it->origin);
      compareTypes(p.type, it->type, Direction::Request, label, it->origin);
    }
    for (const ir::Parameter& q : after.parameters) {
      bool existed = std::any_of(before.parameters.begin(), before.parameters.end(), [&](const ir::Parameter& p) {
        return q.name == p.name && q.in == p.in;
      });
      if (existed) continue;
      std::string label = std::string(ir::toString(q.in)) + " parameter '" + q.name + "'";
      add(q.required, q.required ? "parameter-added-required" : "parameter-added", after,
          "new " + std::string(q.required ? "required " : "optional ") + label, q.origin);
    }
    // Request body.
    if (after.requestBody) {
      bool wasRequired = before.requestBody && before.requestBody->required;
      if (after.requestBody->required && !wasRequired) {
        add(true, "request-body-required", after, "the request body became required", after.origin);
      }
      if (before.requestBody) {
        for (const ir::MediaType& m : before.requestBody->contents) {
          const ir::MediaType* now = media(after.requestBody->contents, m.mediaType);
          if (now == nullptr) {
            add(true, "request-media-type-removed", after, "request media type " + m.mediaType + " is no longer accepted", after.origin);
            continue;
          }
          compareTypes(m.type, now->type, Direction::Request, "request body (" + m.mediaType + ")", after.origin);
        }
      }
    }
    // Responses, matched by status.
    for (const ir::Response& r : before.responses) {
      auto it = std::find_if(after.responses.begin(), after.responses.end(), [&](const ir::Response& s) { return s.status == r.status; });
      if (it == after.responses.end()) {
        std::string now;
        for (const ir::Response& s : after.responses) now += (now.empty() ? "" : ", ") + s.status;
        add(true, "response-status-changed", after,
            "response " + r.status + " is no longer returned (documented now: " + now + ")", after.origin);
        continue;
      }
      for (const ir::MediaType& m : r.contents) {
        const ir::MediaType* now = media(it->contents, m.mediaType);
        if (now == nullptr) {
          add(true, "response-media-type-removed", after, "response " + r.status + " no longer returns " + m.mediaType, after.origin);
          continue;
        }
        compareTypes(m.type, now->type, Direction::Response, "response " + r.status + " body", after.origin);
      }
      for (const ir::Header& h : r.headers) {
        bool kept = std::any_of(it->headers.begin(), it->headers.end(), [&](const ir::Header& g) { return g.name == h.name; });
        if (!kept && h.required) {
          add(true, "response-header-removed", after, "required response header " + h.name + " of " + r.status + " was removed", after.origin);
        }
      }
    }
    compareSecurity(before, after);
  }

  static const ir::MediaType* media(const std::vector<ir::MediaType>& list, const std::string& type) {
    for (const ir::MediaType& m : list) {
      if (m.mediaType == type) return &m;
    }
    return nullptr;
  }

  // A requirement alternative of the old spec still works if some new alternative asks
  // for no scheme it lacks and no scope it lacks.
  void compareSecurity(const ir::Operation& before, const ir::Operation& after) {
    auto satisfiedBy = [](const ir::SecurityRequirement& need, const ir::SecurityRequirement& have) {
      for (const auto& wanted : need.schemes) {
        // (A plain variable: clang 14 cannot capture a structured binding in a lambda.)
        const std::string& scheme = wanted.first;
        auto it = std::find_if(have.schemes.begin(), have.schemes.end(), [&](const auto& s) { return s.first == scheme; });
        if (it == have.schemes.end()) return false;
        for (const std::string& scope : wanted.second) {
          if (std::find(it->second.begin(), it->second.end(), scope) == it->second.end()) return false;
        }
      }
      return true;
    };
    const auto& oldAlternatives = before.effectiveSecurity;
    const auto& newAlternatives = after.effectiveSecurity;
    if (newAlternatives.empty()) return;  // no security now: nothing got stricter
    if (oldAlternatives.empty()) {
      add(true, "security-stricter", after, "the operation now requires authentication", after.origin);
      return;
    }
    for (const ir::SecurityRequirement& old : oldAlternatives) {
      bool stillWorks = std::any_of(newAlternatives.begin(), newAlternatives.end(),
                                    [&](const ir::SecurityRequirement& now) { return satisfiedBy(now, old); });
      if (stillWorks) continue;
      std::string description;
      for (const auto& [scheme, scopes] : old.schemes) {
        description += (description.empty() ? "" : " + ") + scheme;
        if (!scopes.empty()) {
          description += " [";
          for (std::size_t i = 0; i < scopes.size(); ++i) description += (i ? ", " : "") + scopes[i];
          description += "]";
        }
      }
      add(true, "security-stricter", after,
          "credentials that were enough before (" + (description.empty() ? std::string("anonymous") : description) +
              ") no longer are",
          after.origin);
    }
  }

  void compareTypes(TypeId beforeId, TypeId afterId, Direction direction, const std::string& where, const ir::Origin& origin) {
    if (beforeId == ir::kNoType || afterId == ir::kNoType) return;
    if (!seen_.insert({beforeId, afterId, direction == Direction::Request}).second) return;
    const Type& b = before_.type(beforeId);
    const Type& a = after_.type(afterId);
    const ir::Origin& at = a.origin.file.empty() ? origin : a.origin;
    bool request = direction == Direction::Request;
    TypeKind bk = b.kind == TypeKind::Enum ? b.enumBase : b.kind;
    TypeKind ak = a.kind == TypeKind::Enum ? a.enumBase : a.kind;
    // Requests: the new type must accept all the old one did. Responses: the new values
    // must be ones the old type described.
    bool compatible = request ? kindAccepts(ak, bk) : kindAccepts(bk, ak);
    if (!compatible) {
      add(true, request ? "request-type-narrowed" : "response-type-changed", *current_,
          where + ": type changed from " + describeKind(b) + " to " + describeKind(a), at);
      return;
    }
    if (request && b.nullable && !a.nullable) {
      add(true, "request-type-narrowed", *current_, where + ": null is no longer accepted", at);
    }
    if (!request && !b.nullable && a.nullable) {
      add(true, "response-type-changed", *current_, where + ": may now be null", at);
    }
    if (request && a.kind == TypeKind::Enum) {
      std::vector<std::string> removed;
      if (b.kind != TypeKind::Enum) {
        add(true, "request-enum-narrowed", *current_, where + ": now restricted to an enum", at);
      } else {
        for (const ir::Json& value : b.enumValues) {
          if (std::find(a.enumValues.begin(), a.enumValues.end(), value) == a.enumValues.end()) removed.push_back(value.dump());
        }
      }
      for (const std::string& value : removed) {
        add(true, "request-enum-narrowed", *current_, where + ": enum value " + value + " was removed", at);
      }
    }
    if (b.kind == TypeKind::Array && a.kind == TypeKind::Array) {
      compareTypes(b.items, a.items, direction, where + "[]", origin);
    }
    if ((b.kind == TypeKind::Map || b.kind == TypeKind::Object) && (a.kind == TypeKind::Map || a.kind == TypeKind::Object) &&
        b.extraType != ir::kNoType && a.extraType != ir::kNoType) {
      compareTypes(b.extraType, a.extraType, direction, where + "{}", origin);
    }
    if (b.kind == TypeKind::Object && a.kind == TypeKind::Object) compareFields(b, a, direction, where, at);
  }

  void compareFields(const Type& b, const Type& a, Direction direction, const std::string& where, const ir::Origin& at) {
    bool request = direction == Direction::Request;
    for (const ir::Field& field : b.fields) {
      auto it = std::find_if(a.fields.begin(), a.fields.end(), [&](const ir::Field& f) { return f.jsonName == field.jsonName; });
      std::string label = where + " field '" + field.jsonName + "'";
      if (it == a.fields.end()) {
        if (!request && !field.writeOnly) add(true, "response-field-removed", *current_, label + " was removed", at);
        if (request && a.extra == ir::ExtraProperties::Forbidden) {
          add(true, "request-field-removed", *current_, label + " was removed and extra fields are rejected", at);
        }
        continue;
      }
      if (request && !field.required && it->required && !it->readOnly) {
        add(true, "request-field-required", *current_, label + " became required", at);
      }
      if (!request && field.required && !it->required && !field.writeOnly) {
        add(true, "response-field-optional", *current_, label + " may now be absent", at);
      }
      if (request && field.nullable && !it->nullable) {
        add(true, "request-type-narrowed", *current_, label + ": null is no longer accepted", at);
      }
      compareTypes(field.type, it->type, direction, label, at);
    }
    for (const ir::Field& field : a.fields) {
      bool existed = std::any_of(b.fields.begin(), b.fields.end(), [&](const ir::Field& f) { return f.jsonName == field.jsonName; });
      if (existed) continue;
      bool breaking = request && field.required && !field.readOnly;
      std::string what = breaking ? " has a new required field '" : request ? " has a new optional field '" : " has a new field '";
      add(breaking, breaking ? "request-field-added-required" : "field-added", *current_, where + what + field.jsonName + "'", at);
    }
  }

  const Api& before_;
  const Api& after_;
  const ir::Operation* current_ = nullptr;
  std::set<std::tuple<TypeId, TypeId, bool>> seen_;
  std::vector<Change> changes_;
};

}  // namespace

std::vector<Change> compare(const ir::Api& before, const ir::Api& after) { return Comparer(before, after).run(); }

}  // namespace tether::diff
