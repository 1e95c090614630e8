#include "adapters/common/shared_library.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>

namespace strata::common {
namespace {

struct Loaded {
  void* handle = nullptr;
  Status status;
};

std::mutex& LoadMutex() {
  static std::mutex mu;
  return mu;
}

// soname -> the outcome of its one dlopen; handles stay open until exit.
std::map<std::string, Loaded>& LoadedLibraries() {
  static auto* loaded = new std::map<std::string, Loaded>();
  return *loaded;
}

const Loaded& Load(const SharedLibrary& library) {
  std::lock_guard<std::mutex> lock(LoadMutex());
  auto [it, inserted] = LoadedLibraries().try_emplace(library.soname);
  if (!inserted) return it->second;
  it->second.handle = dlopen(library.soname, RTLD_NOW | RTLD_LOCAL);
  if (it->second.handle == nullptr) {
    const char* why = dlerror();
    it->second.status = Status::FailedPrecondition(
        std::string(library.purpose) + " needs the shared library " + library.soname +
        ", which could not be loaded (" + (why ? why : "unknown reason") +
        "); install it (Debian and Ubuntu: apt-get install " + library.package + ")");
  }
  return it->second;
}

[[noreturn]] void Fatal(const std::string& message) {
  std::fprintf(stderr, "strata: %s\n", message.c_str());
  std::fflush(stderr);
  std::_Exit(70);
}

}  // namespace

Status LoadSharedLibrary(const SharedLibrary& library) { return Load(library).status; }

void* SharedLibrarySymbol(const SharedLibrary& library, const char* symbol) {
  const Loaded& loaded = Load(library);
  if (!loaded.status.ok()) Fatal(loaded.status.message());
  void* address = dlsym(loaded.handle, symbol);
  if (address == nullptr) {
    Fatal(std::string(library.soname) + " has no function " + symbol +
          "; install a newer " + library.package);
  }
  return address;
}

}  // namespace strata::common
