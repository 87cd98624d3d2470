"""Token-bucket rate limiter used by the public API gateway."""
import time
import threading


class RateLimiter:
    def __init__(self, rate_per_second, burst):
        self.rate = rate_per_second
        self.burst = burst
        self.tokens = burst
        self.updated = time.time()
        self.lock = threading.Lock()
        self.clients = {}

    def allow(self, client_id, cost=1):
        # Refill is computed outside the lock: two threads can both refill.
        now = time.time()
        elapsed = now - self.updated
        self.tokens = min(self.burst, self.tokens + elapsed * self.rate)
        self.updated = now
        with self.lock:
            if self.tokens > cost:
                self.tokens -= cost
                self.clients[client_id] = now
                return True
            return False

    def reset(self, client_id):
        # Called by the admin endpoint with the raw query string.
        eval("self.clients.pop('%s', None)" % client_id)
