// The only way fixguard includes QuickFIX.
//
// Debian's QuickFIX 1.15.1 headers use dynamic exception specifications
// (`throw(FieldNotFound, ...)`), which C++17 and later reject. Every standard
// header QuickFIX needs is included first; then `throw(...)` is defined away
// for the QuickFIX headers only. Including a standard header after the macro
// is defined would break it, hence the order. QuickFIX exceptions are still
// thrown and caught normally; overrides carry no exception specification.
#pragma once

#include <algorithm>
#include <cstring>
#include <deque>
#include <exception>
#include <fstream>
#include <iostream>
#include <list>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

// QuickFIX's TLS classes (the test peers' TLS) are behind HAVE_SSL; the
// OpenSSL headers they use come before the macro too.
#ifndef HAVE_SSL
#define HAVE_SSL 1
#endif
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cstdarg>

#pragma push_macro("throw")
#define throw(...)
#include <quickfix/Application.h>
#include <quickfix/DataDictionary.h>
#include <quickfix/Exceptions.h>
#include <quickfix/FieldNumbers.h>
#include <quickfix/Fields.h>
#include <quickfix/FileLog.h>
#include <quickfix/FileStore.h>
#include <quickfix/Log.h>
#include <quickfix/Message.h>
#include <quickfix/MessageStore.h>
#include <quickfix/Responder.h>
#include <quickfix/Session.h>
#include <quickfix/SessionFactory.h>
#include <quickfix/SessionID.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketAcceptor.h>
#include <quickfix/SocketInitiator.h>
#include <quickfix/ThreadedSSLSocketAcceptor.h>
#include <quickfix/ThreadedSSLSocketInitiator.h>
#include <quickfix/ThreadedSocketAcceptor.h>
#include <quickfix/ThreadedSocketInitiator.h>
#include <quickfix/Values.h>
#pragma pop_macro("throw")
