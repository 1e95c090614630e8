#include "cli/exit_memory.h"

#include <memory>
#include <mutex>
#include <vector>

namespace strata::cli {

google::protobuf::Arena* ArenaFreedByExit(const google::protobuf::ArenaOptions& options) {
  static std::mutex mu;
  // Deliberately never destroyed (see the header).
  static auto* arenas = new std::vector<std::unique_ptr<google::protobuf::Arena>>();
  std::lock_guard<std::mutex> lock(mu);
  arenas->push_back(std::make_unique<google::protobuf::Arena>(options));
  return arenas->back().get();
}

}  // namespace strata::cli
