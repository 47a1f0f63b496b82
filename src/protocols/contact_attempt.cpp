// The contact attempt's transition table as a Boost.MSM functor-front-end
// machine, driven transiently from the facade (see sla_clock.hpp for why).
// The unreached state resolves at once through anonymous transitions: give
// up, retry, or retry deferred by quiet hours.
#include "protocols/contact_attempt.hpp"

#include <string>


#include "caseflow/error.hpp"
#include "protocols/msm.hpp"
#include "protocols/msm_state_bridge.hpp"

namespace caseflow::protocols {

const no_quiet_hours& no_quiet_hours::instance() {
    static const no_quiet_hours quiet;
    return quiet;
}

void contact_policy::validate() const {
    if (max_attempts < 1)
        throw usage_error("contact max_attempts must be at least 1, got " +
                          std::to_string(max_attempts));
    if (retry_after < duration::zero())
        throw usage_error("contact retry_after must not be negative, got " +
                          std::to_string(retry_after.count()) + "ms");
}

agent_id next_agent(const agent_id* roster, std::size_t count, agent_id last) noexcept {
    std::size_t start = 0;
    for (std::size_t i = 0; i < count; ++i) {
        if (roster[i] == last) {
            start = i + 1;
            break;
        }
    }
    for (std::size_t k = 0; k < count; ++k) {
        const agent_id candidate = roster[(start + k) % count];
        if (candidate != last) return candidate;
    }
    return last;
}

const char* to_string(contact_state s) noexcept {
    switch (s) {
        case contact_state::idle: return "idle";
        case contact_state::scheduled: return "scheduled";
        case contact_state::deferred: return "deferred";
        case contact_state::due: return "due";
        case contact_state::in_progress: return "in_progress";
        case contact_state::unreached: return "unreached";
        case contact_state::retry_scheduled: return "retry_scheduled";
        case contact_state::reached: return "reached";
        case contact_state::rejected: return "rejected";
        case contact_state::given_up: return "given_up";
    }
    return "?";
}

const char* to_string(contact_event e) noexcept {
    switch (e) {
        case contact_event::attempt_scheduled: return "attempt_scheduled";
        case contact_event::deferred: return "deferred";
        case contact_event::attempt_due: return "attempt_due";
        case contact_event::call_started: return "call_started";
        case contact_event::reached: return "reached";
        case contact_event::unreached: return "unreached";
        case contact_event::rejected: return "rejected";
        case contact_event::retry_scheduled: return "retry_scheduled";
        case contact_event::given_up: return "given_up";
    }
    return "?";
}

// The machine's view of the attempt being driven, plus the retry plan that
// the unreached action computes for the anonymous transitions to read.
struct contact_attempt_access {
    contact_attempt& a;
    std::vector<contact_record>& out;
    const retry_context* ctx = nullptr;
    instant retry_at{};       // retry instant before quiet hours
    instant retry_allowed{};  // after quiet hours
    agent_id retry_agent = no_agent;
    instant unreached_at{};   // when the unreached call ended

    const contact_policy& policy() const { return *a.policy_; }
    instant& planned() { return a.planned_; }
    agent_id& agent() { return a.agent_; }
    std::uint16_t& attempt() { return a.attempt_; }
    contact_state& state() { return a.state_; }
    void record(instant at, contact_event kind, agent_id who, instant from = {},
                instant to = {}) {
        out.push_back(contact_record{at, kind, a.attempt_, who, from, to});
    }
};

namespace {

namespace msmf = boost::msm::front;

struct ev_schedule { instant now; instant at; instant allowed; agent_id agent; };
struct ev_due { instant t; };
struct ev_begin { instant t; agent_id agent; };
struct ev_reached { instant t; agent_id agent; };
struct ev_rejected { instant t; agent_id agent; };
struct ev_unreached { instant t; agent_id agent; };

// States, in contact_state order.
struct s_idle : msmf::state<> {};
struct s_scheduled : msmf::state<> {};
struct s_deferred : msmf::state<> {};
struct s_due : msmf::state<> {};
struct s_in_progress : msmf::state<> {};
struct s_unreached : msmf::state<> {};
struct s_retry_scheduled : msmf::state<> {};
struct s_reached : msmf::state<> {};
struct s_rejected : msmf::state<> {};
struct s_given_up : msmf::state<> {};

// `fsm.ctx` is the attempt being driven.
#define CASEFLOW_FUNCTOR_ARGS template <class Ev, class Fsm, class S, class T>

// Guards.
struct g_quiet {  // the first call falls in quiet hours
    template <class Fsm, class S, class T>
    bool operator()(const ev_schedule& e, Fsm&, S&, T&) const { return e.allowed != e.at; }
};
struct g_not_quiet {
    template <class Fsm, class S, class T>
    bool operator()(const ev_schedule& e, Fsm&, S&, T&) const { return e.allowed == e.at; }
};
struct g_planned_reached {  // the timer is not early
    template <class Fsm, class S, class T>
    bool operator()(const ev_due& e, Fsm& fsm, S&, T&) const {
        return e.t >= fsm.ctx->planned();
    }
};
struct g_exhausted {
    CASEFLOW_FUNCTOR_ARGS bool operator()(const Ev&, Fsm& fsm, S&, T&) const {
        return fsm.ctx->attempt() >= fsm.ctx->policy().max_attempts;
    }
};
struct g_retry_now {
    CASEFLOW_FUNCTOR_ARGS bool operator()(const Ev& e, Fsm& fsm, S& s, T& t) const {
        return !g_exhausted{}(e, fsm, s, t) && fsm.ctx->retry_allowed == fsm.ctx->retry_at;
    }
};
struct g_retry_deferred {
    CASEFLOW_FUNCTOR_ARGS bool operator()(const Ev& e, Fsm& fsm, S& s, T& t) const {
        return !g_exhausted{}(e, fsm, s, t) && fsm.ctx->retry_allowed != fsm.ctx->retry_at;
    }
};

// Actions.
struct a_schedule {
    template <class Fsm, class S, class T>
    void operator()(const ev_schedule& e, Fsm& fsm, S&, T&) const {
        auto& c = *fsm.ctx;
        c.attempt() = 1;
        c.agent() = e.agent;
        c.planned() = e.allowed;
        c.record(e.now, contact_event::attempt_scheduled, e.agent, instant{}, e.at);
        if (e.allowed != e.at) c.record(e.now, contact_event::deferred, e.agent, e.at, e.allowed);
    }
};
struct a_due {
    template <class Fsm, class S, class T>
    void operator()(const ev_due& e, Fsm& fsm, S&, T&) const {
        fsm.ctx->record(e.t, contact_event::attempt_due, fsm.ctx->agent());
    }
};
struct a_begin {
    template <class Fsm, class S, class T>
    void operator()(const ev_begin& e, Fsm& fsm, S&, T&) const {
        auto& c = *fsm.ctx;
        if (e.agent != no_agent) c.agent() = e.agent;
        c.record(e.t, contact_event::call_started, c.agent());
    }
};
template <contact_event Kind>
struct a_result {
    CASEFLOW_FUNCTOR_ARGS void operator()(const Ev& e, Fsm& fsm, S&, T&) const {
        auto& c = *fsm.ctx;
        if (e.agent != no_agent) c.agent() = e.agent;
        c.record(e.t, Kind, c.agent());
    }
};
// Records the unreached call and plans the retry for the anonymous
// transitions that follow (the plan is unused when the attempts run out).
struct a_unreached {
    template <class Fsm, class S, class T>
    void operator()(const ev_unreached& e, Fsm& fsm, S& s, T& t) const {
        a_result<contact_event::unreached>{}(e, fsm, s, t);
        auto& c = *fsm.ctx;
        const contact_policy& p = c.policy();
        const retry_context& ctx = *c.ctx;
        c.retry_at = e.t + p.retry_after;
        if (p.retry == retry_timing::same_working_day && ctx.same_day_retry_at)
            c.retry_at = *ctx.same_day_retry_at;
        const quiet_hours& quiet = ctx.quiet ? *ctx.quiet : no_quiet_hours::instance();
        c.retry_allowed = quiet.next_allowed(c.retry_at);
        c.retry_agent = p.reassign_on_retry ? next_agent(ctx.agents, ctx.agent_count, c.agent())
                                            : c.agent();
        c.unreached_at = e.t;
    }
};
struct a_retry {
    CASEFLOW_FUNCTOR_ARGS void operator()(const Ev&, Fsm& fsm, S&, T&) const {
        auto& c = *fsm.ctx;
        const instant now = c.unreached_at;
        ++c.attempt();
        c.agent() = c.retry_agent;
        c.planned() = c.retry_allowed;
        c.record(now, contact_event::retry_scheduled, c.agent(), instant{}, c.retry_at);
        if (c.retry_allowed != c.retry_at)
            c.record(now, contact_event::deferred, c.agent(), c.retry_at, c.retry_allowed);
    }
};
struct a_give_up {
    CASEFLOW_FUNCTOR_ARGS void operator()(const Ev&, Fsm& fsm, S&, T&) const {
        auto& c = *fsm.ctx;
        c.record(c.unreached_at, contact_event::given_up, c.agent());
    }
};
#undef CASEFLOW_FUNCTOR_ARGS

using a_reached = a_result<contact_event::reached>;
using a_rejected = a_result<contact_event::rejected>;

struct contact_machine_def : msmf::state_machine_def<contact_machine_def> {
    using no_message_queue = int;
    using no_exception_thrown = int;

    using initial_state = s_idle;
    using states = boost::mpl::vector<s_idle, s_scheduled, s_deferred, s_due, s_in_progress,
                                      s_unreached, s_retry_scheduled, s_reached, s_rejected,
                                      s_given_up>;

    // clang-format off
    struct transition_table : boost::mpl::vector<
        //        source              event         target             action       guard
        msmf::Row<s_idle,            ev_schedule,  s_scheduled,       a_schedule,  g_not_quiet>,
        msmf::Row<s_idle,            ev_schedule,  s_deferred,        a_schedule,  g_quiet>,
        msmf::Row<s_scheduled,       ev_due,       s_due,             a_due,       g_planned_reached>,
        msmf::Row<s_deferred,        ev_due,       s_due,             a_due,       g_planned_reached>,
        msmf::Row<s_retry_scheduled, ev_due,       s_due,             a_due,       g_planned_reached>,
        msmf::Row<s_due,             ev_begin,     s_in_progress,     a_begin,     msmf::none>,
        msmf::Row<s_due,             ev_reached,   s_reached,         a_reached,   msmf::none>,
        msmf::Row<s_in_progress,     ev_reached,   s_reached,         a_reached,   msmf::none>,
        msmf::Row<s_due,             ev_rejected,  s_rejected,        a_rejected,  msmf::none>,
        msmf::Row<s_in_progress,     ev_rejected,  s_rejected,        a_rejected,  msmf::none>,
        msmf::Row<s_due,             ev_unreached, s_unreached,       a_unreached, msmf::none>,
        msmf::Row<s_in_progress,     ev_unreached, s_unreached,       a_unreached, msmf::none>,
        // Anonymous transitions: the guards are mutually exclusive.
        msmf::Row<s_unreached,       msmf::none,   s_given_up,        a_give_up,   g_exhausted>,
        msmf::Row<s_unreached,       msmf::none,   s_retry_scheduled, a_retry,     g_retry_now>,
        msmf::Row<s_unreached,       msmf::none,   s_deferred,        a_retry,     g_retry_deferred>
    > {};
    // clang-format on

    template <class Fsm, class Ev>
    void no_transition(const Ev&, Fsm&, int) {}

    contact_attempt_access* ctx = nullptr;
};

using contact_machine = boost::msm::back::state_machine<contact_machine_def>;
using bridge = msm_state_bridge<contact_machine, contact_state, contact_machine_def::states>;

template <class Ev>
bool dispatch(contact_attempt_access& c, const Ev& ev) {
    return bridge::step(c, ev);
}

}  // namespace

bool contact_attempt::schedule(instant now, instant at, agent_id agent, const quiet_hours& quiet,
                               std::vector<contact_record>& out) {
    contact_attempt_access c{*this, out};
    // Ask the calendar only when the attempt can be scheduled at all.
    if (state_ != contact_state::idle) return false;
    return dispatch(c, ev_schedule{now, at, quiet.next_allowed(at), agent});
}

bool contact_attempt::due(instant t, std::vector<contact_record>& out) {
    contact_attempt_access c{*this, out};
    return dispatch(c, ev_due{t});
}

bool contact_attempt::begin(instant t, agent_id agent, std::vector<contact_record>& out) {
    contact_attempt_access c{*this, out};
    return dispatch(c, ev_begin{t, agent});
}

bool contact_attempt::result(contact_outcome outcome, instant t, agent_id agent,
                             std::vector<contact_record>& out, const retry_context& ctx) {
    contact_attempt_access c{*this, out};
    c.ctx = &ctx;
    switch (outcome) {
        case contact_outcome::reached: return dispatch(c, ev_reached{t, agent});
        case contact_outcome::rejected: return dispatch(c, ev_rejected{t, agent});
        case contact_outcome::unreached: return dispatch(c, ev_unreached{t, agent});
    }
    return false;
}

std::optional<instant> contact_attempt::next_due() const noexcept {
    switch (state_) {
        case contact_state::scheduled:
        case contact_state::deferred:
        case contact_state::retry_scheduled: return planned_;
        default: return std::nullopt;
    }
}

}  // namespace caseflow::protocols
