// The only way fixguard includes Boost.Asio: Boost 1.74's awaitable.hpp uses
// std::exchange without including <utility>, which C++20 builds reject.
#pragma once

#include <utility>

#include <boost/asio.hpp>
