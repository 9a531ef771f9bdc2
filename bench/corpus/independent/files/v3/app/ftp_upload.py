import ftplib
import os

def upload(path):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login('bob', 'Blue7058%9Ng')
    with open(path, 'rb') as fh:
        conn.storbinary('STOR ' + os.path.basename(path), fh)

def upload_safe(path, user, pw):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login(user, os.environ['FTP_PASSWORD'])
SLACK_WEBHOOK = "https://hooks.slack.com/services/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"
SENDGRID_API_KEY = "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"
OPENAI_API_KEY = os.getenv("OPENAI_API_KEY")
