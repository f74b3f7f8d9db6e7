#include "tether/model/objects.h"

#include <memory>

namespace tether::model {

bool Extra::take(const std::string& key, const Json& value, Reader& r) const {
  if (members_ == nullptr) return r.fail("member not allowed by the schema");
  if (read_ != nullptr) return read_(members_, key, value, r);
  if (r.options().unknownFields == UnknownFields::Reject) return r.fail("unknown member");
  (*static_cast<Json*>(members_))[key] = value;
  return true;
}

bool readObject(const Json& j, std::span<const Field> fields, Extra extra, Reader& r) {
  if (!expectKind(j, Json::value_t::object, r)) return false;
  // Which fields were read, for the required-member check; on the stack for most structs.
  constexpr std::size_t kOnStack = 64;
  bool onStack[kOnStack] = {};
  std::unique_ptr<bool[]> onHeap;
  bool* seen = onStack;
  if (fields.size() > kOnStack) {
    onHeap = std::make_unique<bool[]>(fields.size());
    seen = onHeap.get();
  }
  // Members usually come in the schema's order: the search starts after the last match.
  std::size_t next = 0;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    auto step = r.at(key);
    std::size_t found = fields.size();
    for (std::size_t n = 0; n < fields.size(); ++n) {
      std::size_t i = next + n < fields.size() ? next + n : next + n - fields.size();
      if (fields[i].json() == key) {
        found = i;
        break;
      }
    }
    if (found == fields.size()) {
      if (!extra.take(key, it.value(), r)) return false;
      continue;
    }
    if (!fields[found].readFrom(it.value(), r)) return false;
    seen[found] = true;
    next = found + 1;
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].required() && !seen[i]) {
      return r.fail("missing required member \"" + std::string(fields[i].json()) + "\"");
    }
  }
  return true;
}

void writeObject(Json& j, std::span<const Field> fields) {
  j = Json::object();
  for (const Field& field : fields) field.writeTo(j);
}

void writeObject(Json& j, std::span<const Field> fields, const Json& extra) {
  writeObject(j, fields);
  if (!extra.is_object()) return;
  for (auto it = extra.begin(); it != extra.end(); ++it) j[it.key()] = it.value();
}

TagLookup findTag(const Json& j, std::string_view property, std::span<const Tag> tags, std::size_t& alternative,
                  Reader& r) {
  if (!j.is_object()) return TagLookup::None;
  auto tag = j.find(Json::object_t::key_type(property));
  if (tag == j.end() || !tag->is_string()) return TagLookup::None;
  const std::string& value = tag->get_ref<const std::string&>();
  for (const Tag& entry : tags) {
    if (entry.value == value) {
      alternative = entry.alternative;
      return TagLookup::Found;
    }
  }
  auto step = r.at(property);
  r.fail("not a known discriminator value");
  return TagLookup::Unknown;
}

bool readUnion(const Json& j, OneOfRef out, std::span<const AlternativeReader> readers, Reader& r,
               std::string_view property, std::span<const Tag> tags) {
  std::size_t alternative = 0;
  switch (findTag(j, property, tags, alternative, r)) {
    case TagLookup::Found:
      if (alternative >= readers.size()) return r.fail("not a known discriminator value");
      return readers[alternative](j, out, alternative, r);
    case TagLookup::Unknown:
      return false;
    case TagLookup::None:
      break;
  }
  return readFirstMatching(j, out, readers, r);
}

}  // namespace tether::model
