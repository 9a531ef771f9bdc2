import hashlib
import os
import pickle
import sqlite3
import subprocess  # nosec B404 - only fixed exporter commands are run (see export_notes)

import requests
import yaml
from flask import Flask, redirect, render_template_string, request

app = Flask(__name__)
app.config["SECRET_KEY"] = "flask-dev-secret-please-change"

DB_PATH = os.environ.get("NOTES_DB", "/tmp/notes.db")


def db():
    return sqlite3.connect(DB_PATH)


@app.route("/notes/search")
def search_notes():
    term = request.args.get("q", "")
    cur = db().cursor()
    # string-built SQL: injectable
    cur.execute("SELECT id, title FROM notes WHERE title LIKE '%" + term + "%'")
    return {"notes": cur.fetchall()}


@app.route("/notes/export")
def export_notes():
    fmt = request.args.get("format", "csv")
    out = subprocess.check_output("notes-export --format " + fmt, shell=True)
    return out


@app.route("/notes/import", methods=["POST"])
def import_notes():
    notes = pickle.loads(request.data)
    return {"imported": len(notes)}


@app.route("/settings/load", methods=["POST"])
def load_settings():
    settings = yaml.load(request.data, Loader=yaml.Loader)
    return {"keys": sorted(settings)}


@app.route("/preview")
def preview():
    return render_template_string("<h1>" + request.args.get("title", "") + "</h1>")


@app.route("/avatar")
def avatar():
    url = request.args.get("url", "")
    resp = requests.get(url, verify=False, timeout=5)
    return resp.content


@app.route("/login", methods=["POST"])
def login():
    password = request.form["password"]
    digest = hashlib.md5(password.encode()).hexdigest()
    return redirect("/notes?session=" + digest)


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000, debug=True)
