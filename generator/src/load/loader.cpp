#include "tether/load/loader.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <system_error>
#include <thread>
#include <unordered_set>

#include "tether/doc/json_pointer.h"
#include "tether/doc/uri.h"

namespace tether::load {

namespace {

using doc::Node;

// Keys whose value is a map from user-chosen names to objects: inside such a map, a key
// called "example" or "$ref" is a name, not a keyword.
bool isNameMapKey(std::string_view key) {
  static const std::set<std::string_view> kKeys = {
      "properties", "patternProperties", "$defs",    "definitions",     "dependentSchemas",
      "schemas",    "responses",         "parameters", "examples",      "requestBodies",
      "headers",    "securitySchemes",   "links",    "callbacks",       "pathItems",
      "paths",      "webhooks",          "content",  "encoding",        "mapping",
      "variables",  "scopes"};
  return kKeys.count(key) != 0;
}

// Keys whose value is literal data (an example, a default): a "$ref" in there is data.
bool isLiteralKey(std::string_view key, const Node& value) {
  if (key == "example" || key == "default" || key == "const" || key == "enum" || key == "value") {
    return true;
  }
  return key == "examples" && value.isArray();
}

std::string readWholeFile(const std::filesystem::path& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::error_code(errno, std::generic_category()).message();
    return {};
  }
  // Read in one go: streaming through rdbuf() into a stringstream copied a large spec
  // several times over.
  // (A pipe or a character device has no size: those stream.)
  std::error_code ec;
  const auto size = std::filesystem::is_regular_file(path, ec) ? std::filesystem::file_size(path, ec) : 0;
  if (ec || size == 0) {
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return std::move(buffer).str();
  }
  std::string text(size, '\0');
  if (!in.read(text.data(), static_cast<std::streamsize>(size))) {
    error = "cannot read the whole file";
    return {};
  }
  return text;
}

std::string humanBytes(std::uint64_t bytes) {
  std::ostringstream out;
  out.precision(1);
  out << std::fixed << static_cast<double>(bytes) / (1024.0 * 1024.0) << " MiB";
  return out.str();
}

}  // namespace

class Loader {
 public:
  Loader(LoadedSpec& spec, const LoadOptions& options) : spec_(spec), options_(options) {}

  void loadEntry(const std::filesystem::path& entry) {
    std::error_code ec;
    std::filesystem::path absolute = std::filesystem::absolute(entry, ec).lexically_normal();
    std::string uri = doc::fileUri(absolute);
    SourceFile& file = spec_.sources.add(uri, absolute);
    FileRead read = readFile(file, 0);
    if (!read.ok()) {
      if (read.parseError) spec_.diagnostics.add(std::move(*read.parseError));
      if (!read.ioError.empty()) {
        spec_.diagnostics.add(Diagnostic{Severity::Error, "file-unreadable", read.ioError, {}, ""});
      }
      return;
    }
    finish();
  }

  void loadEntryText(std::string_view text, const std::string& name) {
    std::error_code ec;
    std::filesystem::path absolute = std::filesystem::absolute(name, ec).lexically_normal();
    SourceFile& file = spec_.sources.add(doc::fileUri(absolute), absolute);
    FileRead read = parseFile(file, 0, text);
    if (read.parseError) {
      spec_.diagnostics.add(std::move(*read.parseError));
      return;
    }
    finish();
  }

 private:
  struct PendingRef {
    const Node* object;
    std::string uri;
  };

  // What reading and parsing one file came to: its root is set, or `ioError` says why it
  // could not be read, or `parseError` where it does not parse.
  struct FileRead {
    std::string ioError;
    std::optional<Diagnostic> parseError;
    bool ok() const { return ioError.empty() && !parseError; }
  };

  // A file the references of one turn of `finish` point to, read on a worker; or, when
  // `file` is null, a remote reference that is not fetched (kept in its place, so the
  // diagnostics come in the order a one-by-one load gives them).
  struct Fetch {
    SourceFile* file = nullptr;
    std::uint32_t index = 0;
    const Node* at = nullptr;  // the $ref string that brought the file in
    std::string document;
    FileRead read;
  };

  void finish() {
    const Node* root = spec_.sources.at(0).root;
    if (root != nullptr) {
      if (!root->isObject()) {
        spec_.diagnostics.error("not-openapi", *root, "an OpenAPI document must be an object");
      } else if (const Node* version = root->get("openapi"); version && version->isString()) {
        spec_.version_ = version->text;
      } else if (root->get("swagger") != nullptr) {
        spec_.diagnostics.error("not-openapi", *root,
                                "Swagger 2.0 documents are not supported; convert to OpenAPI 3 first");
      }
    }
    std::size_t indexed = 0;
    std::size_t checked = 0;
    while (indexed < spec_.sources.size()) {
      while (indexed < spec_.sources.size()) index(static_cast<std::uint32_t>(indexed++));
      // Load every document the references found so far point into; new files are
      // indexed on the next turn, which may find more references.
      std::vector<Fetch> fetches;
      for (; checked < refs_.size(); ++checked) ensureDocument(refs_[checked], fetches);
      readAll(fetches);
      for (Fetch& fetch : fetches) report(fetch);
    }
    for (const PendingRef& ref : refs_) resolveRef(ref.object);
    detectCycles();
  }

  // Reads and parses a file. It touches only the file (its own arena), so several files
  // can be read at once.
  FileRead readFile(SourceFile& file, std::uint32_t index) const {
    std::error_code ec;
    auto size = std::filesystem::file_size(file.path, ec);
    if (ec) return {"cannot read '" + file.displayName + "': " + ec.message(), {}};
    if (std::filesystem::is_directory(file.path)) {
      return {"cannot read '" + file.displayName + "': it is a directory", {}};
    }
    if (size > options_.maxFileBytes) {
      return {"'" + file.displayName + "' is " + humanBytes(size) + ", over the limit of " +
                  humanBytes(options_.maxFileBytes) + " (see --max-file-size)",
              {}};
    }
    std::string readError;
    std::string text = readWholeFile(file.path, readError);
    if (!readError.empty()) return {"cannot read '" + file.displayName + "': " + readError, {}};
    return parseFile(file, index, text);
  }

  FileRead parseFile(SourceFile& file, std::uint32_t index, std::string_view text) const {
    doc::ReadResult result =
        doc::readDocument(text, file.path.generic_string(), index, file.arena, options_.limits);
    if (result.error) {
      return {"", Diagnostic{Severity::Error, "parse-error", result.error->message, result.error->location, ""}};
    }
    file.root = result.root;
    return {};
  }

  // Reads the files of one turn, on as many threads as there are cores: a multi-file spec
  // spends its load parsing (DigitalOcean: 2,900 YAML files, two thirds of the load).
  void readAll(std::vector<Fetch>& fetches) const {
    std::vector<Fetch*> files;
    for (Fetch& fetch : fetches) {
      if (fetch.file != nullptr) files.push_back(&fetch);
    }
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;  // the first exception of a helper, rethrown here
    std::mutex failureMutex;
    auto work = [&] {
      try {
        for (std::size_t i = next++; i < files.size(); i = next++) files[i]->read = readFile(*files[i]->file, files[i]->index);
      } catch (...) {
        std::lock_guard lock(failureMutex);
        if (!failure) failure = std::current_exception();
      }
    };
    std::size_t threads = std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()), files.size());
    {
      std::vector<std::jthread> helpers;
      for (std::size_t t = 1; t < threads; ++t) helpers.emplace_back(work);
      work();
    }
    if (failure) std::rethrow_exception(failure);
  }

  // Records what a fetch found, as a one-by-one load would have at its place.
  void report(Fetch& fetch) {
    if (fetch.file == nullptr) {
      spec_.diagnostics.error(
          "ref-remote", *fetch.at,
          "remote reference '" + fetch.at->text +
              "' is not fetched; map its URL prefix to a local folder with --map-url PREFIX=DIR");
      return;
    }
    if (fetch.read.ok()) return;
    failed_.insert(fetch.document);
    if (fetch.read.parseError) spec_.diagnostics.add(std::move(*fetch.read.parseError));
    if (!fetch.read.ioError.empty()) spec_.diagnostics.error("ref-file", *fetch.at, fetch.read.ioError + " (referenced here)");
  }

  // Registers $id/$anchor and collects the references of one file.
  void index(std::uint32_t fileIndex) {
    SourceFile& file = spec_.sources.at(fileIndex);
    if (file.root != nullptr) walk(*file.root, file.uri, false);
  }

  void walk(const Node& node, const std::string& inheritedBase, bool nameMap) {
    if (node.isArray()) {
      for (const Node* item : node.items) walk(*item, inheritedBase, false);
      return;
    }
    if (!node.isObject()) return;
    std::string base = inheritedBase;
    if (!nameMap) {
      if (const Node* id = node.get("$id"); id != nullptr && id->isString()) {
        base = doc::splitFragment(doc::resolveUri(inheritedBase, id->text)).first;
        ids_.emplace(base, &node);
      }
      for (const char* keyword : {"$anchor", "$dynamicAnchor"}) {
        if (const Node* anchor = node.get(keyword); anchor != nullptr && anchor->isString()) {
          anchors_.emplace(base + "#" + anchor->text, &node);
        }
      }
      if (const Node* ref = node.get("$ref"); ref != nullptr && ref->isString()) {
        refIndex_.emplace(&node, refs_.size());
        refs_.push_back(PendingRef{&node, doc::resolveUri(base, ref->text)});
      }
    }
    // A name map that is a reference ("properties: {$ref: other.yml}") stands for the
    // whole map, as other tools read it.
    if (nameMap && LoadedSpec::isRef(node)) {
      refIndex_.emplace(&node, refs_.size());
      refs_.push_back(PendingRef{&node, doc::resolveUri(base, node.get("$ref")->text)});
      return;
    }
    for (const doc::Member& member : node.members) {
      if (nameMap) {
        walk(*member.value, base, member.key == "callbacks");
        continue;
      }
      if (isLiteralKey(member.key, *member.value)) {
        walkLiteral(*member.value, base);
        continue;
      }
      walk(*member.value, base, isNameMapKey(member.key) && member.value->isObject());
    }
  }

  // In literal data a "$ref" is data, with one exception real specs rely on: a reference
  // to another file that exists ("example: {$ref: examples.yml#/x}") is an include.
  void walkLiteral(const Node& node, const std::string& base) {
    if (node.isArray()) {
      for (const Node* item : node.items) walkLiteral(*item, base);
      return;
    }
    if (!node.isObject()) return;
    if (LoadedSpec::isRef(node)) {
      std::string uri = doc::resolveUri(base, node.get("$ref")->text);
      std::string document = doc::splitFragment(uri).first;
      std::optional<std::filesystem::path> path = doc::pathOfFileUri(document);
      std::error_code ec;
      if (document != doc::splitFragment(base).first && path && std::filesystem::is_regular_file(*path, ec)) {
        refIndex_.emplace(&node, refs_.size());
        refs_.push_back(PendingRef{&node, uri});
        return;
      }
    }
    for (const doc::Member& member : node.members) walkLiteral(*member.value, base);
  }

  // Makes sure the document a reference points into is loaded (or reports why not): a new
  // file is registered now and read with the others of this turn (`fetches`).
  void ensureDocument(const PendingRef& ref, std::vector<Fetch>& fetches) {
    std::string document = doc::splitFragment(ref.uri).first;
    if (ids_.count(document) != 0 || spec_.sources.find(document).has_value()) return;
    if (failed_.count(document) != 0) return;
    std::optional<std::filesystem::path> path = localPathOf(document);
    const Node& at = *ref.object->get("$ref");
    if (!path) {
      failed_.insert(document);
      fetches.push_back(Fetch{nullptr, 0, &at, document, {}});
      return;
    }
    SourceFile& file = spec_.sources.add(document, *path);
    Fetch fetch;
    fetch.file = &file;
    fetch.index = static_cast<std::uint32_t>(spec_.sources.size() - 1);
    fetch.at = &at;
    fetch.document = document;
    fetches.push_back(std::move(fetch));
  }

  std::optional<std::filesystem::path> localPathOf(const std::string& uri) const {
    if (auto path = doc::pathOfFileUri(uri)) return path;
    std::string best;
    std::filesystem::path folder;
    for (const UrlMapping& mapping : options_.urlMappings) {
      if (uri.rfind(mapping.prefix, 0) == 0 && mapping.prefix.size() > best.size()) {
        best = mapping.prefix;
        folder = mapping.folder;
      }
    }
    if (best.empty()) return std::nullopt;
    std::optional<std::string> rest = doc::percentDecode(uri.substr(best.size()));
    if (!rest) return std::nullopt;
    return std::filesystem::absolute(folder / *rest).lexically_normal();
  }

  // The target of a reference object, memoized; nullptr when broken.
  const Node* resolveRef(const Node* object) {
    if (auto it = spec_.refs_.find(object); it != spec_.refs_.end()) return it->second.target;
    if (!inProgress_.insert(object).second) return nullptr;  // a pointer through itself
    const Node& refString = *object->get("$ref");
    auto known = refIndex_.find(object);
    std::string uri = known == refIndex_.end() ? std::string() : refs_[known->second].uri;
    std::string why;
    const Node* target = lookup(uri, why);
    inProgress_.erase(object);
    spec_.refs_[object] = LoadedSpec::RefInfo{target, uri};
    if (target == nullptr && !why.empty()) {
      spec_.diagnostics.error("ref-unresolved", refString,
                              "unresolved reference '" + refString.text + "': " + why);
    }
    return target;
  }

  // Finds the node an absolute URI names. An empty `why` with a nullptr result means the
  // problem was already reported (an unreadable file).
  const Node* lookup(const std::string& uri, std::string& why) {
    auto [document, fragment] = doc::splitFragment(uri);
    const Node* root = nullptr;
    std::string documentName = document;
    if (auto it = ids_.find(document); it != ids_.end()) {
      root = it->second;
    } else if (auto index = spec_.sources.find(document)) {
      const SourceFile& file = spec_.sources.at(*index);
      root = file.root;
      documentName = file.displayName;
    }
    if (root == nullptr) return nullptr;
    if (!fragment || fragment->empty()) return root;
    std::optional<std::string> decoded = doc::percentDecode(*fragment);
    if (!decoded) {
      why = "bad percent-encoding in the fragment";
      return nullptr;
    }
    if (decoded->front() != '/') {
      auto it = anchors_.find(document + "#" + *decoded);
      if (it != anchors_.end()) return it->second;
      why = "no $anchor '" + *decoded + "' in " + documentName;
      return nullptr;
    }
    std::optional<std::vector<std::string>> tokens = doc::parsePointer(*decoded);
    if (!tokens) {
      why = "'" + *decoded + "' is not a valid JSON Pointer";
      return nullptr;
    }
    const Node* current = root;
    std::string walked;
    for (const std::string& token : *tokens) {
      // A pointer may run through a reference object, e.g. "#/components/schemas/A/properties"
      // where A is itself a $ref; follow it as the other tools do.
      for (int hops = 0; current != nullptr && LoadedSpec::isRef(*current) && current->get(token) == nullptr && hops < 64; ++hops) {
        current = resolveRef(current);
      }
      if (current == nullptr) return nullptr;
      const Node* next = nullptr;
      if (current->isObject()) {
        next = current->get(token);
      } else if (current->isArray()) {
        bool numeric = !token.empty() && token.size() < 10 &&
                       std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                       (token == "0" || token[0] != '0');
        if (numeric && std::stoul(token) < current->items.size()) next = current->items[std::stoul(token)];
      }
      if (next == nullptr) {
        why = "no '" + token + "' in " + documentName + "#" + walked;
        return nullptr;
      }
      walked += "/" + doc::escapePointerToken(token);
      current = next;
    }
    return current;
  }

  // A chain of references that comes back to itself never reaches a value: report each
  // such cycle once, at its first member in file order, and break it.
  void detectCycles() {
    std::unordered_set<const Node*> reported;
    for (const PendingRef& start : refs_) {
      std::vector<const Node*> chain;
      const Node* current = start.object;
      while (current != nullptr && LoadedSpec::isRef(*current)) {
        auto seen = std::find(chain.begin(), chain.end(), current);
        if (seen != chain.end()) {
          std::vector<const Node*> cycle(seen, chain.end());
          if (reported.count(cycle.front()) == 0) reportCycle(cycle, reported);
          break;
        }
        if (reported.count(current) != 0) break;
        chain.push_back(current);
        auto it = spec_.refs_.find(current);
        current = it == spec_.refs_.end() ? nullptr : it->second.target;
      }
    }
  }

  void reportCycle(const std::vector<const Node*>& cycle, std::unordered_set<const Node*>& reported) {
    const Node* first = *std::min_element(cycle.begin(), cycle.end(), [](const Node* a, const Node* b) {
      return std::tie(a->location.file, a->location.line, a->location.column) <
             std::tie(b->location.file, b->location.line, b->location.column);
    });
    auto startAt = std::find(cycle.begin(), cycle.end(), first);
    std::string path;
    for (std::size_t i = 0; i <= cycle.size(); ++i) {
      const Node* member = *(cycle.begin() + static_cast<long>((static_cast<std::size_t>(startAt - cycle.begin()) + i) % cycle.size()));
      if (!path.empty()) path += " -> ";
      path += spec_.sources.address(*member);
    }
    spec_.diagnostics.error("ref-cycle", *first->get("$ref"),
                            "reference cycle that never reaches a value: " + path);
    for (const Node* member : cycle) {
      reported.insert(member);
      spec_.refs_[member].target = nullptr;
    }
  }

  LoadedSpec& spec_;
  const LoadOptions& options_;
  std::vector<PendingRef> refs_;
  std::unordered_map<const Node*, std::size_t> refIndex_;
  std::unordered_map<std::string, const Node*> ids_;
  std::unordered_map<std::string, const Node*> anchors_;
  std::unordered_set<std::string> failed_;
  std::unordered_set<const Node*> inProgress_;
};

const doc::Node* LoadedSpec::root() const {
  return sources.size() == 0 ? nullptr : sources.at(0).root;
}

bool LoadedSpec::isRef(const doc::Node& node) {
  if (!node.isObject()) return false;
  const doc::Node* ref = node.get("$ref");
  return ref != nullptr && ref->isString();
}

const doc::Node* LoadedSpec::target(const doc::Node& refObject) const {
  auto it = refs_.find(&refObject);
  return it == refs_.end() ? nullptr : it->second.target;
}

const doc::Node* LoadedSpec::resolve(const doc::Node* node) const {
  // Cycles were broken at load time, so a chain always ends.
  while (node != nullptr && isRef(*node)) {
    auto it = refs_.find(node);
    node = it == refs_.end() ? nullptr : it->second.target;
  }
  return node;
}

const std::string& LoadedSpec::targetUri(const doc::Node& refObject) const {
  static const std::string kNone;
  auto it = refs_.find(&refObject);
  return it == refs_.end() ? kNone : it->second.uri;
}

LoadedSpec loadSpec(const std::filesystem::path& entry, const LoadOptions& options) {
  LoadedSpec spec;
  Loader(spec, options).loadEntry(entry);
  spec.diagnostics.sort();
  return spec;
}

LoadedSpec loadSpecText(std::string_view text, const std::string& name, const LoadOptions& options) {
  LoadedSpec spec;
  Loader(spec, options).loadEntryText(text, name);
  spec.diagnostics.sort();
  return spec;
}

}  // namespace tether::load
