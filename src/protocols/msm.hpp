// Boost.MSM for the protocol machines, included in one place.  Only src/
// includes it: MSM stays out of public headers (C++20 hosts; DESIGN 2).
#pragma once

// MSM 1.74 includes headers Boost has since deprecated; keep the build quiet.
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
