"""The seed question's answer in Python: a Flask app whose / increments one Redis counter, as Flask users do it.

bench/run serves it with gunicorn (4 sync workers, and gthread with 2 workers x 8 threads) and drives it with the
same wrk script as Tally's counter, so both are measured in one run on one machine.
"""
import os

import redis
from flask import Flask, jsonify

app = Flask(__name__)
# One client per worker process; redis-py's pool is thread-safe, so gthread workers share it.
store = redis.Redis(host="127.0.0.1", port=6379, socket_timeout=2, socket_connect_timeout=2)
KEY = os.environ.get("BENCH_FLASK_KEY", "flask-bench")


@app.route("/", methods=["GET", "POST"])
def increment():
    return jsonify(name=KEY, value=store.incr(KEY))
