// The backends strata knows, by engine and by name. A new backend is one line in registry.cc
// (and its library in CMakeLists.txt); nothing in cli/ changes.
#pragma once

#include <string_view>
#include <vector>

#include "adapters/backend/backend.h"

namespace strata::backend {

// Every registered backend, in the order `init` and help texts list them.
const std::vector<const Backend*>& All();
// The backend of `engine`; nullptr for ENGINE_UNSPECIFIED or an engine without one.
const Backend* ForEngine(pb::Engine engine);
// The backend called `name` ("dynamodb"); nullptr when there is none.
const Backend* Named(std::string_view name);
// "dynamodb, glue or postgres", for messages.
std::string NamesText();

}  // namespace strata::backend
