#include "naming.h"

#include <set>

#include "tether/doc/json_pointer.h"
#include "tether/naming/namer.h"

namespace tether::ir {

namespace {

using naming::Case;
using naming::Scope;

void nameOperation(Operation& op, Scope& operations) {
  op.cppName = operations.claim(op.operationId, Case::Camel);
  Scope parameters;
  for (Parameter& p : op.parameters) p.cppName = parameters.claim(p.name, Case::Snake);
  for (Response& response : op.responses) {
    Scope headers;
    for (Header& h : response.headers) h.cppName = headers.claim(h.name, Case::Snake);
  }
  for (Callback& callback : op.callbacks) {
    for (Operation& inner : callback.operations) nameOperation(inner, operations);
  }
}

// "#/paths/~1users~1{id}/get" -> the operationId of that operation.
void resolveOperationRefs(Api& api) {
  for (Operation& op : api.operations) {
    for (Response& response : op.responses) {
      for (Link& link : response.links) {
        std::size_t hash = link.operationId.find('#');
        if (hash == std::string::npos) continue;
        auto tokens = doc::parsePointer(link.operationId.substr(hash + 1));
        if (!tokens || tokens->size() != 3 || (*tokens)[0] != "paths") continue;
        for (const Operation& target : api.operations) {
          if (target.path == (*tokens)[1] && target.method == (*tokens)[2]) {
            link.operationId = target.operationId;
          }
        }
      }
    }
  }
}

}  // namespace

void assignNames(Api& api) {
  // Types first, named ones in declaration order, so their identifiers do not depend on
  // how many inline schemas the operations have.
  Scope types;
  for (Type& type : api.types) {
    if (type.named) type.cppName = types.claim(type.name, Case::Pascal);
  }
  for (Type& type : api.types) {
    if (!type.named) type.cppName = types.claim(type.name, Case::Pascal);
    Scope fields;
    for (Field& field : type.fields) field.cppName = fields.claim(field.jsonName, Case::Snake);
  }
  // Components: one scope per section, as each becomes a namespace of its own.
  auto nameComponents = [](auto& list) {
    Scope scope;
    for (auto& component : list) component.cppName = scope.claim(component.name, Case::Pascal);
  };
  nameComponents(api.responses);
  nameComponents(api.parameters);
  nameComponents(api.headers);
  nameComponents(api.requestBodies);
  for (auto& component : api.parameters) component.value.cppName = naming::identifier(component.value.name, Case::Snake);
  for (auto& component : api.headers) component.value.cppName = naming::identifier(component.value.name, Case::Snake);
  for (auto& component : api.responses) {
    Scope headers;
    for (Header& h : component.value.headers) h.cppName = headers.claim(h.name, Case::Snake);
  }
  Scope operations;
  for (Operation& op : api.operations) nameOperation(op, operations);
  for (Webhook& hook : api.webhooks) {
    for (Operation& op : hook.operations) nameOperation(op, operations);
  }
  // Tags: declared ones, then those only operations mention, in order of appearance.
  std::set<std::string> known;
  for (const Tag& tag : api.tags) known.insert(tag.name);
  for (const Operation& op : api.operations) {
    for (const std::string& name : op.tags) {
      if (known.insert(name).second) api.tags.push_back(Tag{name, "", ""});
    }
  }
  Scope tags;
  for (Tag& tag : api.tags) tag.cppName = tags.claim(tag.name, Case::Pascal);
  resolveOperationRefs(api);
}

}  // namespace tether::ir
