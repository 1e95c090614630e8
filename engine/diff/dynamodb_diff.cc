#include "engine/diff/diff.h"
namespace strata {
void DiffDynamo(const pb::DynamoSchema&, const pb::DynamoSchema&, std::vector<pb::Event>*) {}
}  // namespace strata
