// The escalation ladder's transition table as a Boost.MSM functor-front-end
// machine, driven transiently from the facade (see sla_clock.hpp for why).
#include "protocols/escalation_ladder.hpp"

#include <string>


#include "caseflow/error.hpp"
#include "protocols/msm.hpp"
#include "protocols/msm_state_bridge.hpp"

namespace caseflow::protocols {

void escalation_policy::validate() const {
    if (levels.empty()) throw usage_error("escalation ladder needs at least one level");
    if (levels.size() >= no_level)
        throw usage_error("escalation ladder has " + std::to_string(levels.size()) +
                          " levels, at most " + std::to_string(no_level - 1) + " allowed");
    if (measure == nullptr) throw usage_error("escalation time measure must not be null");
    for (std::size_t i = 0; i < levels.size(); ++i) {
        if (levels[i].within < duration::zero())
            throw usage_error("escalation level '" + levels[i].name +
                              "': within must not be negative");
        for (std::size_t j = 0; j < i; ++j)
            if (levels[j].name == levels[i].name)
                throw usage_error("escalation level '" + levels[i].name + "' appears twice");
    }
}

std::optional<level_index> escalation_policy::find(std::string_view name) const {
    for (std::size_t i = 0; i < levels.size() && i < no_level; ++i)
        if (levels[i].name == name) return static_cast<level_index>(i);
    return std::nullopt;
}

const char* to_string(escalation_state s) noexcept {
    switch (s) {
        case escalation_state::idle: return "idle";
        case escalation_state::escalated: return "escalated";
        case escalation_state::top_reached: return "top_reached";
        case escalation_state::handled: return "handled";
    }
    return "?";
}

const char* to_string(escalation_event e) noexcept {
    switch (e) {
        case escalation_event::escalated: return "escalated";
        case escalation_event::re_escalated: return "re_escalated";
        case escalation_event::top_reached: return "top_reached";
        case escalation_event::handled: return "handled";
    }
    return "?";
}

struct escalation_ladder_access {
    escalation_ladder& l;
    std::vector<escalation_record>& out;

    const escalation_policy& policy() const { return *l.policy_; }
    instant& due() { return l.due_; }
    level_index& level() { return l.level_; }
    escalation_state& state() { return l.state_; }
    bool live() const {
        return l.state_ == escalation_state::escalated || l.state_ == escalation_state::top_reached;
    }
    void record(instant at, escalation_event kind, level_index from, instant due = {}) {
        out.push_back(escalation_record{at, kind, l.level_, from, due});
    }
};

namespace {

namespace msmf = boost::msm::front;

struct ev_escalate { instant t; level_index level; duration within; };
struct ev_handled { instant t; };
struct ev_overdue { instant t; };

// States, in escalation_state order.
struct s_idle : msmf::state<> {};
struct s_escalated : msmf::state<> {};
struct s_top_reached : msmf::state<> {};
struct s_handled : msmf::state<> {};

// Guards.  `fsm.ctx` is the ladder being driven.
struct g_higher {  // only a higher level can overrule a live escalation
    template <class Fsm, class S, class T>
    bool operator()(const ev_escalate& e, Fsm& fsm, S&, T&) const {
        return e.level > fsm.ctx->level();
    }
};
struct g_overdue_below_top {
    template <class Fsm, class S, class T>
    bool operator()(const ev_overdue& e, Fsm& fsm, S&, T&) const {
        auto& c = *fsm.ctx;
        return e.t >= c.due() && c.level() < c.policy().top();
    }
};
struct g_overdue_at_top {
    template <class Fsm, class S, class T>
    bool operator()(const ev_overdue& e, Fsm& fsm, S&, T&) const {
        auto& c = *fsm.ctx;
        return e.t >= c.due() && c.level() == c.policy().top();
    }
};

// Actions.
struct a_escalate {
    template <class Fsm, class S, class T>
    void operator()(const ev_escalate& e, Fsm& fsm, S&, T&) const {
        auto& c = *fsm.ctx;
        // A fresh escalation after idle/handled has no level to come from.
        const level_index from = c.live() ? c.level() : no_level;
        c.level() = e.level;
        c.due() = c.policy().measure->add(e.t, e.within);
        c.record(e.t, escalation_event::escalated, from, c.due());
    }
};
struct a_climb {
    template <class Fsm, class S, class T>
    void operator()(const ev_overdue& e, Fsm& fsm, S&, T&) const {
        auto& c = *fsm.ctx;
        const level_index from = c.level();
        ++c.level();
        // The new level gets its full `within` from when it is told.
        c.due() = c.policy().measure->add(e.t, c.policy().levels[c.level()].within);
        c.record(e.t, escalation_event::re_escalated, from, c.due());
    }
};
struct a_top {
    template <class Fsm, class S, class T>
    void operator()(const ev_overdue& e, Fsm& fsm, S&, T&) const {
        fsm.ctx->record(e.t, escalation_event::top_reached, fsm.ctx->level());
    }
};
struct a_handled {
    template <class Fsm, class S, class T>
    void operator()(const ev_handled& e, Fsm& fsm, S&, T&) const {
        fsm.ctx->record(e.t, escalation_event::handled, fsm.ctx->level());
    }
};

struct ladder_machine_def : msmf::state_machine_def<ladder_machine_def> {
    using no_message_queue = int;
    using no_exception_thrown = int;

    using initial_state = s_idle;
    using states = boost::mpl::vector<s_idle, s_escalated, s_top_reached, s_handled>;

    // clang-format off
    struct transition_table : boost::mpl::vector<
        //        source          event        target         action      guard
        msmf::Row<s_idle,        ev_escalate, s_escalated,   a_escalate, msmf::none>,
        msmf::Row<s_escalated,   ev_escalate, s_escalated,   a_escalate, g_higher>,
        msmf::Row<s_top_reached, ev_escalate, s_escalated,   a_escalate, g_higher>,
        msmf::Row<s_handled,     ev_escalate, s_escalated,   a_escalate, msmf::none>,
        msmf::Row<s_escalated,   ev_overdue,  s_escalated,   a_climb,    g_overdue_below_top>,
        msmf::Row<s_escalated,   ev_overdue,  s_top_reached, a_top,      g_overdue_at_top>,
        msmf::Row<s_escalated,   ev_handled,  s_handled,     a_handled,  msmf::none>,
        msmf::Row<s_top_reached, ev_handled,  s_handled,     a_handled,  msmf::none>
    > {};
    // clang-format on

    template <class Fsm, class Ev>
    void no_transition(const Ev&, Fsm&, int) {}

    escalation_ladder_access* ctx = nullptr;
};

using ladder_machine = boost::msm::back::state_machine<ladder_machine_def>;
using bridge = msm_state_bridge<ladder_machine, escalation_state, ladder_machine_def::states>;

template <class Ev>
bool dispatch(escalation_ladder_access& c, const Ev& ev) {
    return bridge::step(c, ev);
}

}  // namespace

bool escalation_ladder::escalate_to(level_index level, instant t,
                                    std::vector<escalation_record>& out,
                                    std::optional<duration> within) {
    if (level >= policy_->levels.size())
        throw usage_error("escalation level " + std::to_string(level) + " out of range (ladder has " +
                          std::to_string(policy_->levels.size()) + " levels)");
    if (within && *within < duration::zero())
        throw usage_error("escalation within must not be negative");
    escalation_ladder_access c{*this, out};
    return dispatch(c, ev_escalate{t, level, within.value_or(policy_->levels[level].within)});
}

bool escalation_ladder::handled(instant t, std::vector<escalation_record>& out) {
    escalation_ladder_access c{*this, out};
    return dispatch(c, ev_handled{t});
}

bool escalation_ladder::overdue(instant t, std::vector<escalation_record>& out) {
    escalation_ladder_access c{*this, out};
    return dispatch(c, ev_overdue{t});
}

std::optional<instant> escalation_ladder::next_due() const noexcept {
    if (state_ != escalation_state::escalated) return std::nullopt;
    return due_;
}

}  // namespace caseflow::protocols
