#include "same_types.h"

#include <cstddef>
#include <map>
#include <string>
#include <unordered_map>

namespace tether::codegen {

namespace {

using ir::Type;
using ir::TypeId;

// Everything of a type that its declaration shows, except the types it uses.
std::string localSignature(const Type& type) {
  std::string s = std::to_string(static_cast<int>(type.kind));
  auto add = [&s](const std::string& part) {
    s += '\x1f';
    s += part;
  };
  auto flag = [&add](bool value) { add(value ? "1" : "0"); };
  flag(type.nullable);
  add(type.format);
  add(std::to_string(static_cast<int>(type.extra)));
  add(std::to_string(static_cast<int>(type.enumBase)));
  for (const ir::Json& value : type.enumValues) add(value.dump());
  add("fields");
  for (const ir::Field& field : type.fields) {
    add(field.jsonName);
    add(field.cppName);
    flag(field.required);
    flag(field.nullable);
    flag(field.readOnly);
    flag(field.writeOnly);
    flag(field.deprecated);
    add(field.description);
    add(field.defaultValue ? field.defaultValue->dump() : std::string());
  }
  add(std::to_string(type.variants.size()));
  if (type.discriminator) {
    add(type.discriminator->propertyName);
    for (const auto& entry : type.discriminator->mapping) add(entry.first);
  }
  return s;
}

// The types a type uses, in a fixed order.
std::vector<TypeId> uses(const Type& type) {
  std::vector<TypeId> out;
  for (const ir::Field& field : type.fields) out.push_back(field.type);
  out.push_back(type.extraType);
  out.push_back(type.items);
  out.insert(out.end(), type.variants.begin(), type.variants.end());
  if (type.discriminator) {
    for (const auto& entry : type.discriminator->mapping) out.push_back(entry.second);
  }
  return out;
}

}  // namespace

std::vector<TypeId> sameTypes(const ir::Api& api, const std::vector<bool>& mergeable) {
  const std::size_t n = api.types.size();
  // Partition refinement: start from classes of equal local signature (a named type is a
  // class of its own), then split every class whose members use types of different
  // classes, until no class splits. What remains are the types that cannot be told apart.
  std::vector<int> cls(n);
  {
    std::unordered_map<std::string, int> ids;
    for (const Type& type : api.types) {
      std::string key = type.named ? "named " + std::to_string(type.id) : localSignature(type);
      cls[static_cast<std::size_t>(type.id)] = ids.emplace(std::move(key), static_cast<int>(ids.size())).first->second;
    }
  }
  std::vector<std::vector<TypeId>> used(n);
  for (const Type& type : api.types) used[static_cast<std::size_t>(type.id)] = uses(type);
  std::size_t classes = 0;
  while (true) {
    std::map<std::vector<int>, int> ids;
    std::vector<int> next(n);
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<int> key{cls[i]};
      for (TypeId t : used[i]) key.push_back(t == ir::kNoType ? -1 : cls[static_cast<std::size_t>(t)]);
      next[i] = ids.emplace(std::move(key), static_cast<int>(ids.size())).first->second;
    }
    cls = std::move(next);
    if (ids.size() == classes) break;
    classes = ids.size();
  }
  std::vector<TypeId> same(n);
  std::unordered_map<int, TypeId> first;
  for (std::size_t i = 0; i < n; ++i) {
    same[i] = static_cast<TypeId>(i);
    if (!mergeable[i]) continue;
    auto [it, fresh] = first.emplace(cls[i], static_cast<TypeId>(i));
    if (!fresh) same[i] = it->second;
  }
  return same;
}

}  // namespace tether::codegen
