// Tells superusers about background work that failed for good, as upstream
// Alliance Auth does with its error notifications.
#pragma once

#include <string>

#include "aa/context.hpp"

namespace aa::core {

/// Sends every active superuser a danger notification naming the task, its
/// id and the error, in each one's language. Never throws: a failure here
/// is logged and the task's own outcome stands.
void notify_superusers_of_failure(aa::Context& context, const std::string& task_name, const std::string& task_id,
                                  const std::string& error);

}  // namespace aa::core
