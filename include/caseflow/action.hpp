// Actions as data: what the engine asks the host to do.  The engine performs
// nothing itself; every action reaches the host's sink and the case history.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "caseflow/error.hpp"
#include "caseflow/time.hpp"

namespace caseflow {

/// The built-in action kinds of the rule language.
enum class action_kind : std::uint8_t {
    notify,     ///< tell a person or role (`to`, `message`)
    call,       ///< outbound phone call (`to`, `agent`, `script`, `reason`)
    sms,        ///< text message (`to`, `message`)
    email,      ///< e-mail (`to`, `subject`, `message`)
    assign,     ///< (re)assign the case owner (`to`)
    escalate,   ///< escalate to a level or role (`to`, `reason`)
    open_case,  ///< open a linked follow-up case (`workflow`, `reason`, `attributes`)
    record,     ///< a note in the history (`text`)
    set,        ///< attribute assignment (attribute: new value)
};

/// The rule-file spelling (`notify`, `open_case`, ...).
std::string_view to_string(action_kind k);

/// One action the engine emits.
struct action {
    std::string case_id;   ///< the case that produced it
    instant at;            ///< the engine time of the step that produced it
    action_kind kind = action_kind::record;
    /// Parameters in rule-file order, values rendered as text.  For `set`,
    /// one pair per assigned attribute; for `open_case`, `case` names the new case.
    std::vector<std::pair<std::string, std::string>> params;
    source_pos origin;     ///< rule position that produced it

    /// The value of parameter `name`, or "" when absent.
    std::string_view param(std::string_view name) const;
};

}  // namespace caseflow
