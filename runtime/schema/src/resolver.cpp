#include "resolver.h"

#include "json_pointer.h"
#include "tether/schema/compiler.h"
#include "uri.h"

namespace tether::schema::detail {

namespace {

// A string member of an object, or nullptr. Goes through object_t directly: GCC's
// -Wnull-dereference misfires on nlohmann iterators at -O2.
const std::string* stringMember(const nlohmann::json& node, const char* key) {
  if (!node.is_object()) return nullptr;
  const auto& object = node.get_ref<const nlohmann::json::object_t&>();
  auto it = object.find(key);
  if (it == object.end() || !it->second.is_string()) return nullptr;
  return &it->second.get_ref<const std::string&>();
}

}  // namespace

Resolver::Resolver(const Registry& registry, const CompileOptions& options)
    : registry_(registry), options_(options) {}

std::uint32_t Resolver::addDocument(const std::string& uri, const nlohmann::json* json,
                                    std::shared_ptr<const nlohmann::json> owner) {
  docs_.push_back(Document{json, std::move(owner), uri, false});
  return static_cast<std::uint32_t>(docs_.size() - 1);
}

SchemaRef Resolver::addRoot(const nlohmann::json& schema) {
  std::uint32_t doc = addDocument(withoutFragment(options_.base_uri), &schema, nullptr);
  indexDocument(doc);
  return SchemaRef{doc, ""};
}

const nlohmann::json& Resolver::node(const SchemaRef& ref) const {
  const nlohmann::json* n = navigatePointer(*docs_[ref.doc].json, ref.pointer);
  return *n;  // callers only hold refs that resolved
}

void Resolver::applyMetaSchema(const std::string& uri, SchemaInfo& info, int guard) {
  if (auto d = dialectFromUri(uri)) {
    info.dialect = *d;
    info.vocab = kVocabAll;
    return;
  }
  // A custom meta-schema: its $vocabulary selects the vocabularies, its own $schema the
  // dialect. Unknown meta-schemas keep the current dialect.
  std::string base = withoutFragment(uri);
  const nlohmann::json* found = registry_.find(base);
  if (found == nullptr || !found->is_object() || guard > 8) return;
  const nlohmann::json& meta = *found;
  if (const std::string* parent = stringMember(meta, "$schema"); parent && *parent != uri)
    applyMetaSchema(*parent, info, guard + 1);
  if (meta.contains("$vocabulary") && meta["$vocabulary"].is_object()) {
    std::uint32_t bits = 0;
    for (const auto& [key, enabled] : meta["$vocabulary"].items()) {
      (void)enabled;
      bits |= vocabFromUri(key);
    }
    if (bits & kVocabFormatAssertion) info.format_assertion = true;
    info.vocab = bits;
  }
}

void Resolver::indexDocument(std::uint32_t doc) {
  if (docs_[doc].indexed) return;
  docs_[doc].indexed = true;
  SchemaInfo info;
  info.base = docs_[doc].uri;
  info.resource_pointer = "";
  info.dialect = options_.default_dialect;
  info.vocab = kVocabAll;
  if (!info.base.empty() && !resources_.count(info.base)) resources_[info.base] = SchemaRef{doc, ""};
  walk(doc, *docs_[doc].json, "", info, 0);
}

void Resolver::walk(std::uint32_t doc, const nlohmann::json& node, const std::string& pointer,
                    SchemaInfo info, std::size_t depth) {
  SchemaRef here{doc, pointer};
  if (depth > options_.max_schema_depth)
    throw CompileError(info.base + "#" + pointer, "schema nested too deeply");
  if (!node.is_object()) {
    infos_[here.key()] = info;
    return;
  }
  // $schema applies at a document root or beside $id (a resource root).
  const std::string* schema_uri = stringMember(node, "$schema");
  const std::string* id_value = stringMember(node, "$id");
  bool has_id = id_value != nullptr;
  if (schema_uri && (pointer.empty() || has_id)) applyMetaSchema(*schema_uri, info, 0);

  // In draft 7 and OpenAPI 3.0, $ref makes every sibling keyword, $id included, ignored.
  bool ref_overrides = isLegacy(info.dialect) && node.contains("$ref");
  if (has_id && !ref_overrides) {
    const std::string& id = *id_value;
    if (isLegacy(info.dialect) && !id.empty() && id[0] == '#') {
      anchors_[info.base + id] = here;
    } else {
      std::string resolved = resolveUri(info.base, id);
      bool has_fragment = false;
      std::string fragment = fragmentOf(resolved, &has_fragment);
      info.base = withoutFragment(resolved);
      info.resource_pointer = pointer;
      if (!resources_.count(info.base)) resources_[info.base] = here;
      if (!fragment.empty() && isLegacy(info.dialect)) anchors_[info.base + "#" + fragment] = here;
    }
  }
  infos_[here.key()] = info;
  if (!isLegacy(info.dialect)) {
    if (const std::string* anchor = stringMember(node, "$anchor")) anchors_[info.base + "#" + *anchor] = here;
    if (const std::string* dynamic = stringMember(node, "$dynamicAnchor")) {
      const std::string& name = *dynamic;
      anchors_.emplace(info.base + "#" + name, here);
      dynamic_[info.base + "#" + name] = here.key();
      dynamic_by_base_[info.base].emplace_back(name, here);
    }
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string& k = it.key();
    if (ref_overrides && k != "definitions") continue;
    std::string child = appendPointer(pointer, k);
    if (isSchemaKeyword(info.dialect, k) && (it->is_object() || it->is_boolean())) {
      walk(doc, *it, child, info, depth + 1);
    } else if (isSchemaMapKeyword(info.dialect, k) && it->is_object()) {
      for (auto m = it->begin(); m != it->end(); ++m)
        if (m->is_object() || m->is_boolean()) walk(doc, *m, appendPointer(child, m.key()), info, depth + 1);
    } else if (isSchemaArrayKeyword(info.dialect, k) && it->is_array()) {
      for (std::size_t i = 0; i < it->size(); ++i)
        walk(doc, (*it)[i], child + "/" + std::to_string(i), info, depth + 1);
    }
  }
}

SchemaInfo Resolver::info(const SchemaRef& ref) const {
  // The key (SchemaRef::key()) built once and cut back to each enclosing schema in place.
  std::string key = ref.key();
  const std::size_t docPart = key.size() - ref.pointer.size();
  while (true) {
    auto it = infos_.find(key);
    if (it != infos_.end()) return it->second;
    if (key.size() == docPart) break;
    key.resize(key.rfind('/'));
  }
  SchemaInfo fallback;
  fallback.base = docs_[ref.doc].uri;
  fallback.dialect = options_.default_dialect;
  return fallback;
}

bool Resolver::loadRegistered(const std::string& uri) {
  for (std::uint32_t d = 0; d < docs_.size(); ++d)
    if (docs_[d].uri == uri && docs_[d].owner) return false;  // already loaded
  auto& all = registry_.documents();
  auto it = all.find(uri);
  if (it == all.end()) return false;
  std::uint32_t doc = addDocument(uri, it->second.get(), it->second);
  resources_.emplace(uri, SchemaRef{doc, ""});
  indexDocument(doc);
  return true;
}

std::optional<SchemaRef> Resolver::resolve(const std::string& uri) {
  std::string base = withoutFragment(uri);
  std::string fragment = percentDecode(fragmentOf(uri));
  auto found = resources_.find(base);
  if (found == resources_.end()) {
    loadRegistered(base);
    found = resources_.find(base);
  }
  if (found == resources_.end()) {
    // The URI may be an $id declared inside a registered document: index them all.
    for (auto& [doc_uri, json] : registry_.documents()) {
      (void)json;
      loadRegistered(doc_uri);
    }
    found = resources_.find(base);
    if (found == resources_.end()) return std::nullopt;
  }
  SchemaRef root = found->second;
  if (fragment.empty()) return root;
  if (fragment[0] == '/') {
    SchemaRef target{root.doc, root.pointer + fragment};
    if (navigatePointer(*docs_[root.doc].json, target.pointer) == nullptr) return std::nullopt;
    return target;
  }
  auto anchor = anchors_.find(base + "#" + fragment);
  if (anchor == anchors_.end()) return std::nullopt;
  return anchor->second;
}

std::vector<std::pair<std::string, SchemaRef>> Resolver::dynamicAnchors(const std::string& base) const {
  auto it = dynamic_by_base_.find(base);
  if (it == dynamic_by_base_.end()) return {};
  return it->second;
}

bool Resolver::isDynamicAnchor(const SchemaRef& target, const std::string& name) const {
  const std::string* anchor = stringMember(node(target), "$dynamicAnchor");
  return anchor != nullptr && *anchor == name &&
         !isLegacy(info(target).dialect);
}

std::string Resolver::absoluteLocation(const SchemaRef& ref, const std::string& suffix) const {
  SchemaInfo i = info(ref);
  std::string relative = ref.pointer.substr(std::min(ref.pointer.size(), i.resource_pointer.size()));
  return i.base + "#" + relative + suffix;
}

}  // namespace tether::schema::detail
