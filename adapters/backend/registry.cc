#include "adapters/backend/registry.h"

#include "adapters/dynamodb/backend.h"
#include "adapters/glue/backend.h"
#include "adapters/postgres/backend.h"

namespace strata::backend {

const std::vector<const Backend*>& All() {
  static const std::vector<const Backend*> kAll = {&dynamodb::TheBackend(), &glue::TheBackend(),
                                                   &postgres::TheBackend()};
  return kAll;
}

const Backend* ForEngine(pb::Engine engine) {
  for (const Backend* b : All()) {
    if (b->engine() == engine) return b;
  }
  return nullptr;
}

const Backend* Named(std::string_view name) {
  for (const Backend* b : All()) {
    if (b->name() == name) return b;
  }
  return nullptr;
}

std::string NamesText() {
  std::string out;
  const auto& all = All();
  for (size_t i = 0; i < all.size(); ++i) {
    if (i > 0) out += i + 1 == all.size() ? " or " : ", ";
    out += all[i]->name();
  }
  return out;
}

}  // namespace strata::backend
