import ftplib
import os

def upload(path):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login('ops', 'Harbor56&lIg')
    with open(path, 'rb') as fh:
        conn.storbinary('STOR ' + os.path.basename(path), fh)

def upload_safe(path, user, pw):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login(user, os.environ['FTP_PASSWORD'])
SLACK_WEBHOOK = "https://hooks.slack.com/services/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"
SENDGRID_API_KEY = "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"
OPENAI_API_KEY = os.getenv("OPENAI_API_KEY")
