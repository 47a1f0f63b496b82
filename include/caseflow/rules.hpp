// Loading rule files.  A rule set is immutable once loaded and cheap to copy
// (a shared handle), so several engines can share it.  Loading is
// all-or-nothing: any error in any file and nothing is returned.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "caseflow/error.hpp"

namespace caseflow {

namespace detail {
struct rule_set_data;
}

/// A loaded, validated, compiled set of workflows.
class rule_set {
public:
    rule_set() = default;
    /// Shares `data` (adds a reference; the library's loader makes it).
    explicit rule_set(const detail::rule_set_data* data) noexcept;
    // Out of line: the reference count is the library's business, and a
    // host's translation unit needs no <memory> for it (compile time).
    rule_set(const rule_set&) noexcept;
    rule_set(rule_set&&) noexcept;
    rule_set& operator=(const rule_set&) noexcept;
    rule_set& operator=(rule_set&&) noexcept;
    ~rule_set();

    /// Workflow names, sorted.
    std::vector<std::string> workflows() const;
    bool has_workflow(std::string_view name) const;
    /// Every file that was loaded.
    const std::vector<std::string>& files() const;

    const detail::rule_set_data& data() const { return *data_; }
    bool empty() const { return !data_; }

private:
    const detail::rule_set_data* data_ = nullptr;  // counted (detail/ref_count.hpp)
};

/// Loads one rule file, or every `*.yaml` / `*.yml` file of a directory
/// (sorted by name) as one rule set, with the business calendars of its
/// `calendars/` subdirectory (other subdirectories are not read).  Throws rule_errors listing every mistake found, each as
/// `file:line:column: message`.  A std::filesystem::path converts to the
/// `std::string` parameter (kept so this header needs no <filesystem>).
///
///     auto rules = caseflow::load_rules("rules/");
rule_set load_rules(const std::string& path);

/// Loads rules from YAML text; `name` stands for the file in messages.
/// Business calendars come from `calendars` (a directory), if not empty.
rule_set load_rules_from_string(std::string_view yaml, const std::string& name = "<string>",
                                const std::string& calendars = {});

}  // namespace caseflow
