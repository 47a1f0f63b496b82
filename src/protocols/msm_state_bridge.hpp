// Maps a facade's one-byte state enum to a Boost.MSM machine's state ids and
// back, so the protocol facades can store the enum and drive a transient
// machine (see sla_clock.hpp for why).  Included by the protocol .cpp files
// only: it pulls in MSM.
#pragma once

#include <array>
#include <cstddef>
#include <utility>

#include <boost/mpl/at.hpp>
#include <boost/mpl/size.hpp>
#include <boost/msm/back/metafunctions.hpp>

namespace caseflow::protocols {

/// `States` is an mpl sequence of the machine's state types listed in the
/// order of `Enum`'s enumerators (0, 1, 2, ...).  A mismatch in the number of
/// states, or a state missing from the transition table, fails to compile.
template <class Machine, class Enum, class States>
class msm_state_bridge {
    static constexpr std::size_t n = boost::mpl::size<States>::value;
    static_assert(boost::mpl::size<typename Machine::state_list>::value == n,
                  "every state of the machine must be listed once, in enum order");

    template <std::size_t... I>
    static constexpr std::array<int, n> make_to_msm(std::index_sequence<I...>) {
        return {{boost::msm::back::get_state_id<
            typename Machine::stt, typename boost::mpl::at_c<States, I>::type>::value...}};
    }
    static constexpr std::array<int, n> to_msm_ = make_to_msm(std::make_index_sequence<n>{});

    static constexpr std::array<Enum, n> make_from_msm() {
        std::array<Enum, n> from{};
        for (std::size_t i = 0; i < n; ++i) from[static_cast<std::size_t>(to_msm_[i])] = Enum(i);
        return from;
    }
    static constexpr std::array<Enum, n> from_msm_ = make_from_msm();

    static constexpr bool is_bijection() {
        std::array<bool, n> seen{};
        for (int id : to_msm_) {
            if (id < 0 || static_cast<std::size_t>(id) >= n || seen[static_cast<std::size_t>(id)])
                return false;
            seen[static_cast<std::size_t>(id)] = true;
        }
        return true;
    }
    static_assert(is_bijection(), "MSM state ids must be 0..n-1, one per enum value");

public:
    /// Puts a freshly constructed machine (single region) in state `s`.
    /// current_state() points at the machine's own non-const id array, so the
    /// write is well defined; MSM offers no other setter short of
    /// Boost.Serialization.
    static void set(Machine& m, Enum s) noexcept {
        const_cast<int*>(m.current_state())[0] = to_msm_[static_cast<std::size_t>(s)];
    }
    static Enum get(const Machine& m) noexcept {
        return from_msm_[static_cast<std::size_t>(m.current_state()[0])];
    }

    /// One step of a facade: a machine on the stack at the stored state, one
    /// event, the new state stored back.  `Access` has `out` (the records) and
    /// `state()`; true when the step produced records.
    template <class Access, class Ev>
    static bool step(Access& c, const Ev& ev) {
        const auto before = c.out.size();
        Machine m;
        m.ctx = &c;
        set(m, c.state());
        m.process_event(ev);
        c.state() = get(m);
        return c.out.size() != before;
    }
};

}  // namespace caseflow::protocols
