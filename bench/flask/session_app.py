"""Flask's answer to per-user state on many processes: Flask-Session with Redis, as its docs set it up.

bench/run serves it with gunicorn (4 sync workers) beside Tally with its sessions in the same Redis, and drives both
with the same wrk script (one session cookie per simulated user). Flask-Session reads the whole session at the
start of a request and writes it back whole at the end (pickle, SETEX), so two requests of one user that overlap
lose one of their updates: bench.py counts how many, with 10 concurrent tabs of one user.
"""
import redis
from flask import Flask, jsonify, session
from flask_session import Session

app = Flask(__name__)
app.config.update(
    SESSION_TYPE="redis",
    SESSION_REDIS=redis.Redis(host="127.0.0.1", port=6379, socket_timeout=2, socket_connect_timeout=2),
    SESSION_KEY_PREFIX="flask-bench-session:",
    SESSION_PERMANENT=False,
)
Session(app)


@app.route("/api/session/counter/inc", methods=["POST"])
def increment():
    session["counter"] = session.get("counter", 0) + 1
    return jsonify(value=session["counter"])


@app.route("/api/session/counter", methods=["GET"])
def read():
    return jsonify(value=session.get("counter", 0))
