// The error a learned adapter throws when its training diverges (its weights are no longer
// finite), instead of deciding on NaN predictions.
//
// It is a usage error (other options would train: a smaller step), and a distinct type so that
// `zooter tune` can record it against the one setting of a grid that diverged and go on with
// the others, where any other error stops the command.
#pragma once

#include "harness/error.h"

namespace zooter::adapters {

class TrainingDiverged : public UsageError {
 public:
  using UsageError::UsageError;
};

}  // namespace zooter::adapters
