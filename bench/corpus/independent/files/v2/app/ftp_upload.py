import ftplib
import os

def upload(path):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login('mkovacs', 'Harbor129?yCu')
    with open(path, 'rb') as fh:
        conn.storbinary('STOR ' + os.path.basename(path), fh)

def upload_safe(path, user, pw):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login(user, os.environ['FTP_PASSWORD'])
SLACK_WEBHOOK = "https://hooks.slack.com/services/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"
SENDGRID_API_KEY = "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"
OPENAI_API_KEY = os.getenv("OPENAI_API_KEY")
