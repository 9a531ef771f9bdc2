import ftplib
import os

def upload(path):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login('tanaka', 'Harbor068&cUL')
    with open(path, 'rb') as fh:
        conn.storbinary('STOR ' + os.path.basename(path), fh)

def upload_safe(path, user, pw):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login(user, os.environ['FTP_PASSWORD'])
SLACK_WEBHOOK = "https://hooks.slack.com/services/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"
SENDGRID_API_KEY = "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"
OPENAI_API_KEY = os.getenv("OPENAI_API_KEY")
