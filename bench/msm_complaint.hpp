// The complaint workflow written by hand as a Boost.MSM functor-front-end
// machine: the performance anchor that the benchmark runs side by side with
// the same workflow loaded from YAML (DESIGN.md decision 3).  Self-contained;
// Boost 1.74's MSM back-end needs C++17 (it fails in C++20 under g++ 12).
//
// The table, for the YAML twin to mirror exactly:
//
//   received        facts_established  -> investigating   [severity == major] / escalations++
//   received        facts_established  -> investigating   [severity != major]
//   investigating   solved             -> replying
//   investigating   cannot_solve       -> promised_reply
//   promised_reply  promised_date_reached -> replying
//   promised_reply  solved             -> replying
//   replying        replied            (internal)         / replies++
//   replying        customer_rejected  -> investigating
//   replying        close              -> closed          (final: no way out)
//
// Any other event in a state is ignored and counted in `ignored`.
#pragma once

#include <cstdint>

#ifndef BOOST_ALLOW_DEPRECATED_HEADERS
#define BOOST_ALLOW_DEPRECATED_HEADERS
#endif
#ifndef BOOST_BIND_GLOBAL_PLACEHOLDERS
#define BOOST_BIND_GLOBAL_PLACEHOLDERS
#endif
#include <boost/mpl/vector.hpp>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>

namespace caseflow::bench::msm_complaint {

namespace msmf = boost::msm::front;

enum class severity_level : std::uint8_t { minor, normal, major };

// Events.
struct facts_established {};
struct solved {};
struct cannot_solve {};
struct promised_date_reached {};
struct replied {};
struct customer_rejected {};
struct close {};

// States, in id order (ids follow first appearance in the table).
struct received : msmf::state<> {};
struct investigating : msmf::state<> {};
struct promised_reply : msmf::state<> {};
struct replying : msmf::state<> {};
struct closed : msmf::state<> {};

/// Ids as returned by `machine::current_state()[0]`.
enum state_id : int {
    received_id = 0,
    investigating_id = 1,
    promised_reply_id = 2,
    replying_id = 3,
    closed_id = 4
};

// Guards: the `severity` attribute of the case.
struct is_major {
    template <class Ev, class Fsm, class S, class T>
    bool operator()(const Ev&, Fsm& fsm, S&, T&) const {
        return fsm.severity == severity_level::major;
    }
};
struct is_not_major {
    template <class Ev, class Fsm, class S, class T>
    bool operator()(const Ev&, Fsm& fsm, S&, T&) const {
        return fsm.severity != severity_level::major;
    }
};

// Actions.
struct escalate_to_manager {  // "a major complaint is reported to the department manager at once"
    template <class Ev, class Fsm, class S, class T>
    void operator()(const Ev&, Fsm& fsm, S&, T&) const {
        ++fsm.escalations;
    }
};
struct count_reply {
    template <class Ev, class Fsm, class S, class T>
    void operator()(const Ev&, Fsm& fsm, S&, T&) const {
        ++fsm.replies;
    }
};

struct complaint_def : msmf::state_machine_def<complaint_def> {
    // Like the engine's dispatch path: no event queue, no try/catch.
    using no_message_queue = int;
    using no_exception_thrown = int;

    using initial_state = received;

    // clang-format off
    struct transition_table : boost::mpl::vector<
        //        source          event                  target          action               guard
        msmf::Row<received,       facts_established,     investigating,  escalate_to_manager, is_major>,
        msmf::Row<received,       facts_established,     investigating,  msmf::none,          is_not_major>,
        msmf::Row<investigating,  solved,                replying,       msmf::none,          msmf::none>,
        msmf::Row<investigating,  cannot_solve,          promised_reply, msmf::none,          msmf::none>,
        msmf::Row<promised_reply, promised_date_reached, replying,       msmf::none,          msmf::none>,
        msmf::Row<promised_reply, solved,                replying,       msmf::none,          msmf::none>,
        msmf::Row<replying,       replied,               msmf::none,     count_reply,         msmf::none>,
        msmf::Row<replying,       customer_rejected,     investigating,  msmf::none,          msmf::none>,
        msmf::Row<replying,       close,                 closed,         msmf::none,          msmf::none>
    > {};
    // clang-format on

    template <class Fsm, class Ev>
    void no_transition(const Ev&, Fsm&, int) {
        ++ignored;
    }

    // Case attribute and counters.
    severity_level severity = severity_level::normal;
    std::uint32_t escalations = 0;
    std::uint32_t replies = 0;
    std::uint32_t ignored = 0;
};

/// Call start() once before the first event.
using machine = boost::msm::back::state_machine<complaint_def>;

template <class State>
constexpr int id_of = static_cast<int>(boost::msm::back::get_state_id<machine::stt, State>::value);
static_assert(id_of<received> == received_id && id_of<investigating> == investigating_id &&
                  id_of<promised_reply> == promised_reply_id && id_of<replying> == replying_id &&
                  id_of<closed> == closed_id,
              "state_id must match MSM's ids");

}  // namespace caseflow::bench::msm_complaint
