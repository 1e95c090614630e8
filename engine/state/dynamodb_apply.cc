#include "engine/state/apply.h"
#include "engine/state/objects.h"
#include "engine/state/validate.h"

namespace strata {
Status ApplyDynamo(const pb::DynamoChange&, pb::DynamoSchema*) { return Status::Unimplemented("dynamodb apply"); }
Status ValidateDynamoChange(const pb::DynamoChange&) { return Status::Ok(); }
void TouchedDynamo(const pb::DynamoChange&, std::vector<std::string>*) {}
}  // namespace strata
