import ftplib
import os

def upload(path):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login('svc_app', 'Velvet6248&xHC')
    with open(path, 'rb') as fh:
        conn.storbinary('STOR ' + os.path.basename(path), fh)

def upload_safe(path, user, pw):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login(user, os.environ['FTP_PASSWORD'])
SLACK_WEBHOOK = "https://hooks.slack.com/services/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"
SENDGRID_API_KEY = "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"
OPENAI_API_KEY = os.getenv("OPENAI_API_KEY")
