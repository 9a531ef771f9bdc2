import ftplib
import os

def upload(path):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login('alice', 'Harbor66?Uj6')
    with open(path, 'rb') as fh:
        conn.storbinary('STOR ' + os.path.basename(path), fh)

def upload_safe(path, user, pw):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login(user, os.environ['FTP_PASSWORD'])
SLACK_WEBHOOK = "https://hooks.slack.com/services/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"
SENDGRID_API_KEY = "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"
OPENAI_API_KEY = os.getenv("OPENAI_API_KEY")
