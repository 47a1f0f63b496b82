// The SLA clock's transition table as a Boost.MSM functor-front-end machine.
// The facade (sla_clock.hpp) stores only the state id and the times; each
// call builds the machine on the stack, puts it in that state, dispatches one
// event and reads the state back (see the header for why).
#include "protocols/sla_clock.hpp"

#include <algorithm>
#include <string>
#include <type_traits>


#include "caseflow/error.hpp"
#include "protocols/msm.hpp"
#include "protocols/msm_state_bridge.hpp"

namespace caseflow::protocols {

const calendar_time_measure& calendar_time_measure::instance() {
    static const calendar_time_measure measure;
    return measure;
}

void sla_policy::validate() const {
    if (target <= duration::zero())
        throw usage_error("sla target must be positive, got " +
                          std::to_string(target.count()) + "ms");
    if (measure == nullptr) throw usage_error("sla time measure must not be null");
    if (warn_at.size() > 250) throw usage_error("too many sla warning thresholds");
    int previous = 0;
    for (int percent : warn_at) {
        if (percent < 1 || percent > 99)
            throw usage_error("sla warning threshold must be in 1..99%, got " +
                              std::to_string(percent) + "%");
        if (percent <= previous)
            throw usage_error("sla warning thresholds must be strictly increasing, got " +
                              std::to_string(percent) + "% after " + std::to_string(previous) +
                              "%");
        previous = percent;
    }
}

const char* to_string(sla_state s) noexcept {
    switch (s) {
        case sla_state::not_started: return "not_started";
        case sla_state::running: return "running";
        case sla_state::paused: return "paused";
        case sla_state::warned: return "warned";
        case sla_state::warned_paused: return "warned_paused";
        case sla_state::met: return "met";
        case sla_state::breached: return "breached";
        case sla_state::cancelled: return "cancelled";
    }
    return "?";
}

const char* to_string(sla_event e) noexcept {
    switch (e) {
        case sla_event::started: return "started";
        case sla_event::paused: return "paused";
        case sla_event::resumed: return "resumed";
        case sla_event::warned: return "warned";
        case sla_event::met: return "met";
        case sla_event::breached: return "breached";
        case sla_event::cancelled: return "cancelled";
    }
    return "?";
}

// Gives the machine's actions access to the clock's private fields.
struct sla_clock_access {
    sla_clock& clock;
    std::vector<sla_record>& out;

    const sla_policy& policy() const { return *clock.policy_; }
    const time_measure& measure() const { return *clock.policy_->measure; }
    duration& elapsed_before() { return clock.elapsed_before_; }
    instant& mark() { return clock.mark_; }
    instant& due() { return clock.due_; }
    std::uint8_t& next_warning() { return clock.next_warning_; }
    sla_state& state() { return clock.state_; }
    void record(instant at, sla_event kind, int percent, duration elapsed) {
        out.push_back(sla_record{at, kind, percent, elapsed});
    }
};

namespace {

namespace msmf = boost::msm::front;

// Events.  Warnings and the breach are internal: the facade computes which
// thresholds a tick crossed and feeds them in order.
struct ev_start { instant t; };
struct ev_pause { instant t; };
struct ev_resume { instant t; };
struct ev_stop { instant t; };
struct ev_cancel { instant t; };
struct ev_warn { instant at; int percent; duration threshold; };
struct ev_breach { instant at; };
struct ev_tick { instant t; };  // handled by catch_up alone: no row uses it

// States, declared in sla_state order (the bridge checks it).
struct s_not_started : msmf::state<> {};
struct s_running : msmf::state<> {};
struct s_paused : msmf::state<> {};
struct s_warned : msmf::state<> {};
struct s_warned_paused : msmf::state<> {};
struct s_met : msmf::state<> {};
struct s_breached : msmf::state<> {};
struct s_cancelled : msmf::state<> {};

template <class S>
constexpr bool counts_time = std::is_same_v<S, s_running> || std::is_same_v<S, s_warned>;

// Actions.  `fsm.ctx` is the clock being driven.
struct a_start {
    template <class Ev, class Fsm, class S, class T>
    void operator()(const Ev& e, Fsm& fsm, S&, T&) const {
        auto& c = *fsm.ctx;
        c.elapsed_before() = duration::zero();
        c.mark() = e.t;
        c.due() = c.measure().add(e.t, c.policy().target);
        c.next_warning() = 0;
        c.record(e.t, sla_event::started, 0, duration::zero());
    }
};

struct a_pause {
    template <class Ev, class Fsm, class S, class T>
    void operator()(const Ev& e, Fsm& fsm, S&, T&) const {
        auto& c = *fsm.ctx;
        c.elapsed_before() += c.measure().elapsed(c.mark(), e.t);
        c.mark() = e.t;
        c.record(e.t, sla_event::paused, 0, c.elapsed_before());
    }
};

struct a_resume {
    template <class Ev, class Fsm, class S, class T>
    void operator()(const Ev& e, Fsm& fsm, S&, T&) const {
        auto& c = *fsm.ctx;
        c.mark() = e.t;
        // Paused time does not count: the remaining budget starts again here.
        c.due() = c.measure().add(e.t, c.policy().target - c.elapsed_before());
        c.record(e.t, sla_event::resumed, 0, c.elapsed_before());
    }
};

struct a_warn {
    template <class Fsm, class S, class T>
    void operator()(const ev_warn& e, Fsm& fsm, S&, T&) const {
        auto& c = *fsm.ctx;
        ++c.next_warning();
        c.record(e.at, sla_event::warned, e.percent, e.threshold);
    }
};

struct a_breach {
    template <class Fsm, class S, class T>
    void operator()(const ev_breach& e, Fsm& fsm, S&, T&) const {
        auto& c = *fsm.ctx;
        c.elapsed_before() = c.policy().target;
        c.mark() = e.at;
        c.record(e.at, sla_event::breached, 100, c.policy().target);
    }
};

// Ends the clock with `Kind`: met by stop, cancelled by cancel.
template <sla_event Kind>
struct a_end {
    template <class Ev, class Fsm, class S, class T>
    void operator()(const Ev& e, Fsm& fsm, S&, T&) const {
        auto& c = *fsm.ctx;
        if constexpr (counts_time<S>) c.elapsed_before() += c.measure().elapsed(c.mark(), e.t);
        c.mark() = e.t;
        c.record(e.t, Kind, 0, c.elapsed_before());
    }
};
using a_met = a_end<sla_event::met>;
using a_cancel = a_end<sla_event::cancelled>;

struct sla_machine_def : msmf::state_machine_def<sla_machine_def> {
    // No event is ever queued or deferred, and actions do not throw: skip the
    // queue and the try/catch in the back-end.
    using no_message_queue = int;
    using no_exception_thrown = int;

    using initial_state = s_not_started;
    using states = boost::mpl::vector<s_not_started, s_running, s_paused, s_warned,
                                      s_warned_paused, s_met, s_breached, s_cancelled>;

    // clang-format off
    struct transition_table : boost::mpl::vector<
        //        source            event      target           action
        msmf::Row<s_not_started,   ev_start,  s_running,       a_start>,
        msmf::Row<s_running,       ev_pause,  s_paused,        a_pause>,
        msmf::Row<s_paused,        ev_resume, s_running,       a_resume>,
        msmf::Row<s_warned,        ev_warn,   s_warned,        a_warn>,
        msmf::Row<s_warned_paused, ev_resume, s_warned,        a_resume>,
        msmf::Row<s_running,       ev_warn,   s_warned,        a_warn>,
        msmf::Row<s_warned,        ev_pause,  s_warned_paused, a_pause>,
        msmf::Row<s_running,       ev_breach, s_breached,      a_breach>,
        msmf::Row<s_warned,        ev_breach, s_breached,      a_breach>,
        msmf::Row<s_running,       ev_stop,   s_met,           a_met>,
        msmf::Row<s_paused,        ev_stop,   s_met,           a_met>,
        msmf::Row<s_warned,        ev_stop,   s_met,           a_met>,
        msmf::Row<s_warned_paused, ev_stop,   s_met,           a_met>,
        msmf::Row<s_not_started,   ev_cancel, s_cancelled,     a_cancel>,
        msmf::Row<s_running,       ev_cancel, s_cancelled,     a_cancel>,
        msmf::Row<s_paused,        ev_cancel, s_cancelled,     a_cancel>,
        msmf::Row<s_warned,        ev_cancel, s_cancelled,     a_cancel>,
        msmf::Row<s_warned_paused, ev_cancel, s_cancelled,     a_cancel>
    > {};
    // clang-format on

    // An event that does not apply is ignored: the facade reports "no change".
    template <class Fsm, class Ev>
    void no_transition(const Ev&, Fsm&, int) {}

    sla_clock_access* ctx = nullptr;
};

using sla_machine = boost::msm::back::state_machine<sla_machine_def>;
using bridge = msm_state_bridge<sla_machine, sla_state, sla_machine_def::states>;

template <class Ev>
void dispatch(sla_clock_access& c, const Ev& ev) {
    sla_machine m;
    m.ctx = &c;
    bridge::set(m, c.state());
    m.process_event(ev);
    c.state() = bridge::get(m);
}

// Emits every warning and the breach crossed up to `t`, in order.
void catch_up(sla_clock_access& c, instant t) {
    const sla_policy& p = c.policy();
    while (c.state() == sla_state::running || c.state() == sla_state::warned) {
        const bool warning = c.next_warning() < p.warn_at.size();
        const int percent = warning ? p.warn_at[c.next_warning()] : 100;
        const duration threshold = warning ? p.target * percent / 100 : p.target;
        const duration now = c.elapsed_before() + c.measure().elapsed(c.mark(), t);
        if (now < threshold) return;
        // A measure may count in coarser steps than ms; never date the
        // crossing after the tick that noticed it.
        const instant at =
            std::min(t, c.measure().add(c.mark(), threshold - c.elapsed_before()));
        if (warning)
            dispatch(c, ev_warn{at, percent, threshold});
        else
            dispatch(c, ev_breach{at});
    }
}

// Runs one timed operation: rejects instants before the last change, catches
// up, then applies `ev`.  True if anything was recorded.
template <class Ev>
bool run(sla_clock& clock, std::vector<sla_record>& out, instant t, const Ev& ev) {
    sla_clock_access c{clock, out};
    if (c.state() != sla_state::not_started && t < c.mark()) return false;
    const auto before = out.size();
    catch_up(c, t);
    if constexpr (!std::is_same_v<Ev, ev_tick>) {
        dispatch(c, ev);
        // A threshold that rounds to 0 ms (tiny target) is crossed at the start.
        catch_up(c, t);
    }
    return out.size() != before;
}

}  // namespace

bool sla_clock::start(instant t, std::vector<sla_record>& out) {
    return run(*this, out, t, ev_start{t});
}
bool sla_clock::pause(instant t, std::vector<sla_record>& out) {
    return run(*this, out, t, ev_pause{t});
}
bool sla_clock::resume(instant t, std::vector<sla_record>& out) {
    return run(*this, out, t, ev_resume{t});
}
bool sla_clock::stop(instant t, std::vector<sla_record>& out) {
    return run(*this, out, t, ev_stop{t});
}
bool sla_clock::cancel(instant t, std::vector<sla_record>& out) {
    return run(*this, out, t, ev_cancel{t});
}
bool sla_clock::tick(instant t, std::vector<sla_record>& out) {
    return run(*this, out, t, ev_tick{t});
}

std::optional<instant> sla_clock::next_due() const {
    if (!is_running()) return std::nullopt;
    const sla_policy& p = *policy_;
    if (next_warning_ >= p.warn_at.size()) return due_;
    const duration threshold = p.target * p.warn_at[next_warning_] / 100;
    return p.measure->add(mark_, std::max(duration::zero(), threshold - elapsed_before_));
}

std::optional<instant> sla_clock::due() const noexcept {
    if (!is_running()) return std::nullopt;
    return due_;
}

duration sla_clock::elapsed(instant t) const {
    if (!is_running() || t <= mark_) return elapsed_before_;
    return elapsed_before_ + policy_->measure->elapsed(mark_, t);
}

}  // namespace caseflow::protocols
