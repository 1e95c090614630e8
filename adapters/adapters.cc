// Anchor for the adapters library; each backend lives in its own directory.
namespace strata::adapters {
const char* const kAdaptersLayer = "adapters";
}  // namespace strata::adapters
