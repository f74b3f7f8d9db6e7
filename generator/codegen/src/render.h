// Template rendering shared by the C++ emitters: the embedded mustache templates, the
// "generated" banner, and formatting.
#pragma once

#include <string>

#include <kainjow/mustache.hpp>

#include "tether/codegen/output.h"
#include "tether/ir/model.h"

namespace tether::codegen {

using Data = kainjow::mustache::data;

// Renders one of the embedded templates ("models.h", ...); throws std::logic_error when the
// template is broken (a build defect, not a user error).
std::string render(const std::string& templateName, const Data& data);

// The comment that opens every generated file: generated, from which spec, by which version.
std::string banner(const ir::Api& api, const CodegenOptions& options, const std::string& what);

// Formats with clang-format when asked and available.
std::string finish(const std::string& code, const CodegenOptions& options);

Data list();

// kainjow's `set` and `push_back` copy their argument, and a copy is deep: a tree built
// bottom-up was copied once per level, which was most of the time and the peak memory of
// `generate` on large specs. These move the value in instead.
void put(Data& object, const std::string& name, Data&& value);
void append(Data& list, Data&& value);

}  // namespace tether::codegen
