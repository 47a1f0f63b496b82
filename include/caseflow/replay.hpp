// Case history files: a case's inputs and the expectations a test harness
// checks against the engine's behaviour (format: docs/replay.md).
#pragma once

#include <string>
#include <vector>

#include "caseflow/history.hpp"
#include "caseflow/rules.hpp"

namespace caseflow {

struct replay_result {
    std::string file;
    bool passed = true;
    /// One readable message per failed expectation (what was expected, what happened).
    std::vector<std::string> failures;
    /// Every history entry of every case the replay produced, in order.
    std::vector<history_entry> timeline;
};

/// Replays a case history file.  Rules come from its `rules:` path (relative
/// to the file) unless `rules` is given.  Throws history_error for a malformed
/// file (with file:line:column) and rule_error for broken rules.  Paths are
/// `std::string`s (a std::filesystem::path converts) so this header needs no
/// <filesystem>.
replay_result replay_file(const std::string& file, const rule_set* rules = nullptr);

/// Replays case history YAML text; `name` stands for the file in messages and
/// `base` is the directory `rules:` is relative to.
replay_result replay_string(const std::string& yaml, const std::string& name,
                            const std::string& base, const rule_set* rules = nullptr);

}  // namespace caseflow
